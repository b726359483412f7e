// Module entry point. No static JS handles: everything hangs off `exports`, so the addon loads
// in any number of contexts (worker_threads) at once.
#include <napi.h>

#include "bzlib.h"
#include "compressor.h"

namespace {

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("Compressor", bz2napi::Compressor::Define(env));
  exports.Set("bzlibVersion", Napi::String::New(env, BZ2_bzlibVersion()));
  return exports;
}

}  // namespace

NODE_API_MODULE(NODE_GYP_MODULE_NAME, Init)
