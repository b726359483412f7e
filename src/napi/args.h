// Argument checks for the native methods. The TypeScript layer validates first;
// these repeat the checks so that calling the binding directly, wrongly, throws
// instead of crashing.
#ifndef BZ2_NAPI_NAPI_ARGS_H_
#define BZ2_NAPI_NAPI_ARGS_H_

#include <napi.h>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace bz2napi {

struct ByteView {
  const uint8_t* data;
  size_t length;
};

// The bytes of info[index], which must be a TypedArray or DataView (offset and
// length respected). Throws ERR_INVALID_ARG_TYPE otherwise.
ByteView RequireBytes(const Napi::CallbackInfo& info,
                      size_t index,
                      const char* name);

// Appends a copy of the bytes to `to`, for work that outlives the call. Throws
// ERR_BZ2_MEMORY if the copy cannot be allocated.
void AppendBytes(Napi::Env env, std::vector<uint8_t>* to, ByteView bytes);

// The largest integer a JS number holds exactly.
constexpr int64_t kMaxSafeInteger = (int64_t{1} << 53) - 1;

// info[index] as an integer in [min, max], where both bounds are safe integers.
// Throws ERR_INVALID_ARG_TYPE for a non-number and ERR_OUT_OF_RANGE for a
// number outside the range or not an integer.
int64_t RequireInteger(const Napi::CallbackInfo& info,
                       size_t index,
                       const char* name,
                       int64_t min,
                       int64_t max);

// info[index] as a boolean. Throws ERR_INVALID_ARG_TYPE otherwise.
bool RequireBoolean(const Napi::CallbackInfo& info,
                    size_t index,
                    const char* name);

}  // namespace bz2napi

#endif  // BZ2_NAPI_NAPI_ARGS_H_
