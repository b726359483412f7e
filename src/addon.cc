// Module entry point. No static JS handles: everything hangs off `exports`, so
// the addon loads in any number of contexts (worker_threads) at once.
#include <napi.h>

#include "bzlib.h"
#include "compressor.h"
#include "decompressor.h"
#include "one_shot_binding.h"

namespace {

// V8's running total of external memory reported by every addon in this isolate
// (adjusting by zero reads it). Lets tests check that compressors report and
// release their memory; V8 exposes the figure nowhere else.
Napi::Value ExternalMemory(const Napi::CallbackInfo& info) {
  return Napi::Number::New(
      info.Env(),
      static_cast<double>(
          Napi::MemoryManagement::AdjustExternalMemory(info.Env(), 0)));
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("Compressor", bz2napi::Compressor::Define(env));
  exports.Set("Decompressor", bz2napi::Decompressor::Define(env));
  bz2napi::ExportOneShot(env, exports);
  exports.Set("externalMemory",
              Napi::Function::New<ExternalMemory>(env, "externalMemory"));
  exports.Set("bzlibVersion", Napi::String::New(env, BZ2_bzlibVersion()));
  return exports;
}

}  // namespace

NODE_API_MODULE(NODE_GYP_MODULE_NAME, Init)
