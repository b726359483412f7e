// Module entry point. No static JS handles: everything hangs off `exports`, so
// the addon loads in any number of contexts (worker_threads) at once.
#include <napi.h>

#include "bzip2/alloc_failure.h"
#include "bzlib.h"
#include "compressor.h"
#include "decompressor.h"
#include "napi/addon_data.h"
#include "napi/args.h"
#include "napi/errors.h"
#include "parallel/stage_profile.h"
#include "parallel_compressor.h"

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

// setMaxBufferLength(n): buffer.constants.MAX_LENGTH, from lib/native.ts.
void SetMaxBufferLength(const Napi::CallbackInfo& info) {
  const int64_t most = bz2napi::RequireInteger(info, 0, "maxBufferLength", 1,
                                               bz2napi::kMaxSafeInteger);
  bz2napi::GetAddonData(info.Env()).max_buffer_length =
      static_cast<size_t>(most);
}

// profileStages(level, data), for npm run bench and the codec's differential
// test: each stage's seconds on one thread, ours and libbzip2's, on the same
// blocks, and whether every block's bits agreed (parallel/stage_profile.h).
// On the calling thread. Not part of the package's API.
Napi::Value ProfileStages(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int level =
      static_cast<int>(bz2napi::RequireInteger(info, 0, "level", 1, 9));
  const bz2napi::ByteView data = bz2napi::RequireBytes(info, 1, "data");
  bz2napi::StageProfile profile;
  if (!bz2napi::ProfileStages(level, data.data, data.length, &profile))
    throw bz2napi::StatusError(env, BZ_MEM_ERROR);
  auto stages = [&](const bz2napi::codec::StageTimes& times) {
    Napi::Object object = Napi::Object::New(env);
    object.Set("rle1Crc", times.rle1_crc);
    object.Set("sort", times.sort);
    object.Set("mtf", times.mtf);
    object.Set("huffman", times.huffman);
    return object;
  };
  Napi::Object result = Napi::Object::New(env);
  result.Set("blocks", static_cast<double>(profile.blocks));
  result.Set("cutting", profile.cutting);
  result.Set("joining", profile.joining);
  result.Set("libbzip2", stages(profile.libbzip2));
  result.Set("ours", stages(profile.ours));
  result.Set("same", profile.same);
  return result;
}

#ifdef BZ2_NAPI_ALLOC_FAILURE
// Test builds only (scripts/alloc-failure.sh): failAllocationAt(n) fails the
// n-th allocation from now (0: none); allocationCount() counts them since.
void FailAllocationAt(const Napi::CallbackInfo& info) {
  bz2napi::alloc_failure::FailAt(
      bz2napi::RequireInteger(info, 0, "n", 0, bz2napi::kMaxSafeInteger));
}

Napi::Value AllocationCount(const Napi::CallbackInfo& info) {
  return Napi::Number::New(
      info.Env(), static_cast<double>(bz2napi::alloc_failure::Count()));
}
#endif

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  auto* data = new bz2napi::AddonData();
  env.SetInstanceData(data);
  napi_env raw = env;
  env.AddCleanupHook([data, raw] { data->reclaimer.Close(raw); });
  exports.Set("Compressor", bz2napi::Compressor::Define(env));
  exports.Set("Decompressor", bz2napi::Decompressor::Define(env));
  exports.Set("ParallelCompressor", bz2napi::ParallelCompressor::Define(env));
  exports.Set("externalMemory",
              Napi::Function::New<ExternalMemory>(env, "externalMemory"));
  exports.Set("setMaxBufferLength", Napi::Function::New<SetMaxBufferLength>(
                                        env, "setMaxBufferLength"));
  exports.Set("profileStages",
              Napi::Function::New<ProfileStages>(env, "profileStages"));
  exports.Set("bzlibVersion", Napi::String::New(env, BZ2_bzlibVersion()));
#ifdef BZ2_NAPI_ALLOC_FAILURE
  exports.Set("failAllocationAt",
              Napi::Function::New<FailAllocationAt>(env, "failAllocationAt"));
  exports.Set("allocationCount",
              Napi::Function::New<AllocationCount>(env, "allocationCount"));
#endif
  return exports;
}

}  // namespace

NODE_API_MODULE(NODE_GYP_MODULE_NAME, Init)
