#include "one_shot_binding.h"

#include <string>

#include "args.h"
#include "bzlib.h"
#include "errors.h"
#include "js_buffer.h"
#include "one_shot.h"

namespace bz2napi {

namespace {

constexpr int64_t kMaxSafeInteger = (int64_t{1} << 53) - 1;

// compress(data: TypedArray | DataView, level: 1..9): Buffer
Napi::Value Compress(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const ByteView input = RequireBytes(info, 0, "data");
  const int level = static_cast<int>(RequireInteger(info, 1, "level", 1, 9));
  OutputBuffer out;
  const int ret = CompressAll(input.data, input.length, level, &out);
  if (ret != BZ_STREAM_END)
    throw BzError(env, ret);
  return ToJsBuffer(env, &out);
}

// decompress(data: TypedArray | DataView, maxOutputLength: integer >= 0):
// Buffer
Napi::Value Decompress(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const ByteView input = RequireBytes(info, 0, "data");
  const int64_t limit =
      RequireInteger(info, 1, "maxOutputLength", 0, kMaxSafeInteger);
  OutputBuffer out;
  const DecompressResult result =
      DecompressAll(input.data, input.length, static_cast<size_t>(limit), &out);
  switch (result.status) {
    case DecompressStatus::kOk:
      return ToJsBuffer(env, &out);
    case DecompressStatus::kTruncated:
      throw MakeError(env, ErrorClass::kError, "ERR_BZ2_TRUNCATED",
                      "Compressed data ended before the end-of-stream marker "
                      "was reached");
    case DecompressStatus::kTooLarge:
      throw MakeError(env, ErrorClass::kRangeError, "ERR_BUFFER_TOO_LARGE",
                      "Cannot create a Buffer larger than maxOutputLength (" +
                          std::to_string(limit) + " bytes)");
    case DecompressStatus::kData:
    case DecompressStatus::kMemory:
    case DecompressStatus::kInternal:
      break;
  }
  throw BzError(env, result.bzret);
}

}  // namespace

void ExportOneShot(Napi::Env env, Napi::Object exports) {
  exports.Set("compress", Napi::Function::New<Compress>(env, "compress"));
  exports.Set("decompress", Napi::Function::New<Decompress>(env, "decompress"));
}

}  // namespace bz2napi
