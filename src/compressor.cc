#include "compressor.h"

#include "addon_data.h"
#include "args.h"
#include "errors.h"
#include "guarded_method.h"
#include "js_buffer.h"
#include "step_worker.h"

namespace bz2napi {

Napi::Function Compressor::Define(Napi::Env env) {
  Napi::Function ctor = DefineClass(env, kClassName, {});
  ctor.Get("prototype")
      .As<Napi::Object>()
      .DefineProperties({
          GuardedMethod<Compressor, &Compressor::Compress>(env, "compress"),
          GuardedMethod<Compressor, &Compressor::Flush>(env, "flush"),
          GuardedMethod<Compressor, &Compressor::CompressAsync>(
              env, "compressAsync"),
          GuardedMethod<Compressor, &Compressor::FlushAsync>(env, "flushAsync"),
      });
  return ctor;
}

Compressor::Compressor(const Napi::CallbackInfo& info)
    : Napi::ObjectWrap<Compressor>(info) {
  Napi::Env env = info.Env();
  const int level =
      static_cast<int>(RequireInteger(info, 0, "compresslevel", 1, 9));
  const int ret = stream_.Init(level);
  if (ret != BZ_OK)
    throw BzError(env, ret);
  info.This().As<Napi::Object>().TypeTag(&kTypeTag);
  // libbzip2 allocates all of a compressor's memory here, so this one figure
  // stays right until the stream ends.
  reported_bytes_ = stream_.allocated_bytes();
  Napi::MemoryManagement::AdjustExternalMemory(env, reported_bytes_);
  TrackForReclaim(env, this);
}

void Compressor::Finalize(Napi::BasicEnv env) {
  Release(env);
  UntrackForReclaim(env, this);
}

void Compressor::Release(Napi::BasicEnv env) {
  stream_.End();
  if (reported_bytes_ != 0) {
    Napi::MemoryManagement::AdjustExternalMemory(env, -reported_bytes_);
    reported_bytes_ = 0;
  }
}

CompressJob Compressor::Prepare(const Napi::CallbackInfo& info,
                                bool finish,
                                bool copy) {
  Napi::Env env = info.Env();
  if (busy_)
    throw BusyError(env);
  if (!stream_.active()) {
    throw MakeError(
        env, ErrorClass::kError, "ERR_BZ2_FLUSHED",
        finish ? "Repeated call to flush()" : "Compressor has been flushed");
  }
  CompressJob job;
  job.finish = finish;
  job.limit = GetAddonData(env).max_buffer_length;
  if (!finish) {
    const ByteView input = RequireBytes(info, 0, "data");
    if (copy) {
      AppendBytes(env, &job.owned, input);
      job.in = job.owned.data();
    } else {
      job.in = input.data;
    }
    job.len = input.length;
  }
  return job;
}

void Compressor::RunJob(CompressJob* job) {
  job->ret = job->finish
                 ? stream_.Finish(&job->out, job->limit)
                 : stream_.Compress(job->in, job->len, &job->out, job->limit);
}

Napi::Value Compressor::FinishJob(Napi::Env env, CompressJob* job) {
  const int expected = job->finish ? BZ_STREAM_END : BZ_RUN_OK;
  // A finished stream cannot be resumed even if finishing failed (as in
  // CPython); after a failed compress step input was consumed and output lost,
  // so going on would write a corrupt stream. Either way its memory goes now.
  if (job->finish || job->ret != expected)
    Release(env);
  if (job->ret == kOutputLimit)
    throw TooLargeError(env, job->limit);
  if (job->ret != expected)
    throw BzError(env, job->ret);
  return ToJsBuffer(env, &job->out);
}

Napi::Value Compressor::Compress(const Napi::CallbackInfo& info) {
  CompressJob job = Prepare(info, false, false);
  RunJob(&job);
  return FinishJob(info.Env(), &job);
}

Napi::Value Compressor::Flush(const Napi::CallbackInfo& info) {
  CompressJob job = Prepare(info, true, false);
  RunJob(&job);
  return FinishJob(info.Env(), &job);
}

Napi::Value Compressor::CompressAsync(const Napi::CallbackInfo& info) {
  return StepWorker<Compressor, CompressJob>::Start(
      info.Env(), this, info.This().As<Napi::Object>(),
      Prepare(info, false, true));
}

Napi::Value Compressor::FlushAsync(const Napi::CallbackInfo& info) {
  return StepWorker<Compressor, CompressJob>::Start(
      info.Env(), this, info.This().As<Napi::Object>(),
      Prepare(info, true, false));
}

}  // namespace bz2napi
