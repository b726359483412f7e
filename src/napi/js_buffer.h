// Hands finished output to JS as a fresh Buffer that nobody else shares.
#ifndef BZ2_NAPI_NAPI_JS_BUFFER_H_
#define BZ2_NAPI_NAPI_JS_BUFFER_H_

#include <napi.h>

#include "bzip2/output_buffer.h"

namespace bz2napi {

// Large outputs move into the Buffer without a copy (the Buffer frees them);
// small ones are copied, which is cheaper than an external buffer's finaliser.
// Empties `out`.
Napi::Buffer<uint8_t> ToJsBuffer(Napi::Env env, OutputBuffer* out);

}  // namespace bz2napi

#endif  // BZ2_NAPI_NAPI_JS_BUFFER_H_
