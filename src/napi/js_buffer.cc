#include "napi/js_buffer.h"

#include <cstdlib>

#include "bzip2/status_codes.h"
#include "napi/addon_data.h"
#include "napi/errors.h"

namespace bz2napi {

namespace {

constexpr size_t kCopyBelow = 64 * 1024;

}  // namespace

Napi::Buffer<uint8_t> ToJsBuffer(Napi::Env env, OutputBuffer* out) {
  const size_t size = out->size();
  // Callers keep output within this; checked again because handing an
  // oversized block to napi_create_external_buffer frees it and then fails.
  const size_t most = GetAddonData(env).max_buffer_length;
  if (size > most) {
    *out = OutputBuffer();
    throw StatusError(env, kOutputLimit);
  }
  if (size < kCopyBelow) {
    Napi::Buffer<uint8_t> copy =
        Napi::Buffer<uint8_t>::Copy(env, out->data(), size);
    *out = OutputBuffer();
    return copy;
  }
  uint8_t* bytes = out->Release();
  // NewOrCopy copies (and then runs the finaliser) where a runtime forbids
  // external buffers. On failure Node may already have run the finaliser, so
  // the bytes are never freed here: a leak on a path that should not happen
  // beats a double free.
  return Napi::Buffer<uint8_t>::NewOrCopy(
      env, bytes, size, [](Napi::Env, uint8_t* data) { std::free(data); });
}

}  // namespace bz2napi
