#include "compressor.h"

#include "bzip2/status_codes.h"
#include "napi/args.h"
#include "napi/async_step.h"
#include "napi/js_buffer.h"

namespace bz2napi {

Napi::Function Compressor::Define(Napi::Env env) {
  using C = Compressor;
  return DefineWith(
      env, {
               GuardedMethod<C, &C::Compress>(env, "compress"),
               GuardedMethod<C, &C::Flush>(env, "flush"),
               GuardedMethod<C, &C::CompressAsync>(env, "compressAsync"),
               GuardedMethod<C, &C::FlushAsync>(env, "flushAsync"),
               GuardedMethod<C, &C::Cancel>(env, "cancel"),
           });
}

Compressor::Compressor(const Napi::CallbackInfo& info)
    : Wrapped<Compressor>(info) {
  Napi::Env env = info.Env();
  const int level =
      static_cast<int>(RequireInteger(info, 0, "compresslevel", 1, 9));
  const int ret = stream_.Init(level);
  if (ret != BZ_OK)
    throw StatusError(env, ret);
  // libbzip2 allocates all of a compressor's memory here, so this one figure
  // stays right until the stream ends.
  ReportMemory(env, stream_.allocated_bytes());
  Adopt(info);
}

void Compressor::Release(Napi::BasicEnv env) {
  stream_.End();
  ReportMemory(env, 0);
}

CompressJob Compressor::Prepare(const Napi::CallbackInfo& info,
                                Step step,
                                InputUse use) {
  Napi::Env env = info.Env();
  CheckIdle(env);
  if (failure_ != 0)
    throw StatusError(env, failure_);
  if (!stream_.active())
    throw EndedError(env, "ERR_BZ2_FLUSHED");
  CompressJob job;
  job.step = step;
  job.limit = GetAddonData(env).max_buffer_length;
  if (step == Step::kCompress) {
    const ByteView input = RequireBytes(info, 0, "data");
    if (use == InputUse::kCopy) {
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
  job->ret = job->step == Step::kFlush
                 ? stream_.Finish(&job->out, job->limit)
                 : stream_.Compress(job->in, job->len, &job->out, job->limit);
}

Napi::Value Compressor::FinishJob(Napi::Env env, CompressJob* job) {
  const bool flush = job->step == Step::kFlush;
  const int expected = flush ? BZ_STREAM_END : BZ_RUN_OK;
  // A finished stream cannot be resumed even if finishing failed (as in
  // CPython); after a failed compress step input was consumed and output lost,
  // so going on would write a corrupt stream: the failure is sticky, as in
  // ParallelCompressor. Either way its memory goes now, as it does once a step
  // that was cancelled ends.
  if (failure_ == 0 && job->ret != expected)
    failure_ = job->ret;
  if (flush || failure_ != 0)
    Release(env);
  if (failure_ != 0)
    throw StatusError(env, failure_);
  return ToJsBuffer(env, &job->out);
}

Napi::Value Compressor::Compress(const Napi::CallbackInfo& info) {
  CompressJob job = Prepare(info, Step::kCompress, InputUse::kInPlace);
  RunJob(&job);
  return FinishJob(info.Env(), &job);
}

Napi::Value Compressor::Flush(const Napi::CallbackInfo& info) {
  CompressJob job = Prepare(info, Step::kFlush, InputUse::kInPlace);
  RunJob(&job);
  return FinishJob(info.Env(), &job);
}

Napi::Value Compressor::CompressAsync(const Napi::CallbackInfo& info) {
  CompressJob job = Prepare(info, Step::kCompress, InputUse::kCopy);
  return AsyncStep<Compressor, CompressJob>::Start(
      info.Env(), this, BeginCall(info), std::move(job));
}

Napi::Value Compressor::FlushAsync(const Napi::CallbackInfo& info) {
  CompressJob job = Prepare(info, Step::kFlush, InputUse::kCopy);
  return AsyncStep<Compressor, CompressJob>::Start(
      info.Env(), this, BeginCall(info), std::move(job));
}

Napi::Value Compressor::Cancel(const Napi::CallbackInfo& info) {
  // After the stream ended there is nothing left to cancel.
  if (stream_.active()) {
    if (failure_ == 0)
      failure_ = kCancelled;
    // A running step still uses the stream: FinishJob lets it go.
    if (!busy())
      Release(info.Env());
  }
  return info.Env().Undefined();
}

}  // namespace bz2napi
