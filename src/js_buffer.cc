#include "js_buffer.h"

#include <cstdlib>

namespace bz2napi {

namespace {

constexpr size_t kCopyBelow = 64 * 1024;

}  // namespace

Napi::Buffer<uint8_t> ToJsBuffer(Napi::Env env, OutputBuffer* out) {
  const size_t size = out->size();
  if (size < kCopyBelow) {
    Napi::Buffer<uint8_t> copy =
        Napi::Buffer<uint8_t>::Copy(env, out->data(), size);
    *out = OutputBuffer();
    return copy;
  }
  uint8_t* bytes = out->Release();
  // NewOrCopy copies (and then runs the finaliser) where a runtime forbids
  // external buffers. If it throws, the finaliser has not run and the bytes are
  // still ours to free.
  try {
    return Napi::Buffer<uint8_t>::NewOrCopy(
        env, bytes, size, [](Napi::Env, uint8_t* data) { std::free(data); });
  } catch (...) {
    std::free(bytes);
    throw;
  }
}

}  // namespace bz2napi
