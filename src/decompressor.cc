#include "decompressor.h"

#include <new>

#include "bzip2/stream_decoder.h"
#include "napi/args.h"
#include "napi/async_step.h"
#include "napi/errors.h"
#include "napi/js_buffer.h"
#include "parallel/parallel_decoder.h"
#include "parallel/worker_pool.h"

namespace bz2napi {

namespace {

std::unique_ptr<Decoder> MakeDecoder(const Napi::CallbackInfo& info) {
  const bool concatenated = RequireBoolean(info, 0, "concatenated");
  const int64_t threads = info.Length() > 1 && !info[1].IsUndefined()
                              ? RequireInteger(info, 1, "threads", 1, 1024)
                              : 1;
  const int64_t limit =
      info.Length() > 2 && !info[2].IsUndefined()
          ? RequireInteger(info, 2, "outputLimit", 0, kMaxSafeInteger)
          : kMaxSafeInteger;
  try {
    if (!concatenated || threads == 1)
      return std::make_unique<StreamDecoder>(
          concatenated ? Streams::kConcatenated : Streams::kOne);
    const size_t running =
        WorkerPool::Get().Reserve(static_cast<size_t>(threads));
    if (running == 0)
      throw StatusError(info.Env(), BZ_MEM_ERROR);  // no thread could start
    return std::make_unique<ParallelDecoder>(
        std::min(static_cast<size_t>(threads), running),
        static_cast<uint64_t>(limit));
  } catch (const std::bad_alloc&) {
    throw StatusError(info.Env(), BZ_MEM_ERROR);
  }
}

Napi::Value Count(Napi::Env env, size_t n) {
  return Napi::Number::New(env, static_cast<double>(n));
}

}  // namespace

Napi::Function Decompressor::Define(Napi::Env env) {
  using D = Decompressor;
  return DefineWith(
      env, {
               GuardedMethod<D, &D::Decompress>(env, "decompress"),
               GuardedMethod<D, &D::DecompressAsync>(env, "decompressAsync"),
               GuardedMethod<D, &D::Close>(env, "close"),
               GuardedGetter<D, &D::Eof>("eof"),
               GuardedGetter<D, &D::NeedsInput>("needsInput"),
               GuardedGetter<D, &D::InStream>("inStream"),
               GuardedGetter<D, &D::Consumed>("consumed"),
               GuardedGetter<D, &D::StreamsEnded>("streamsEnded"),
               GuardedGetter<D, &D::LastEndOutput>("lastEndOutput"),
           });
}

Decompressor::Decompressor(const Napi::CallbackInfo& info)
    : Wrapped<Decompressor>(info), decoder_(MakeDecoder(info)) {
  Adopt(info);
}

void Decompressor::Release(Napi::BasicEnv env) {
  decoder_->End();
  ReportMemory(env, decoder_->allocated_bytes());
}

DecompressJob Decompressor::Prepare(const Napi::CallbackInfo& info,
                                    InputUse use) {
  Napi::Env env = info.Env();
  CheckIdle(env);
  if (decoder_->done())
    throw EndedError(env, "ERR_BZ2_EOF");
  const ByteView input = RequireBytes(info, 0, "data");
  const int64_t max_length =
      RequireInteger(info, 1, "maxLength", -1, kMaxSafeInteger);

  DecompressJob job;
  // No limit still means no more than one Buffer can hold; the rest stays
  // inside for the next call.
  const size_t most = GetAddonData(env).max_buffer_length;
  job.limit = max_length < 0 || static_cast<uint64_t>(max_length) > most
                  ? most
                  : static_cast<size_t>(max_length);
  if (use == InputUse::kCopy) {
    AppendBytes(env, &job.owned, input);
    job.in = job.owned.data();
  } else {
    job.in = input.data;  // read in place
  }
  job.len = input.length;
  job.last = info.Length() > 2 && !info[2].IsUndefined() &&
             RequireBoolean(info, 2, "last");
  return job;
}

void Decompressor::RunJob(DecompressJob* job) {
  job->result =
      decoder_->Run(job->in, job->len, &job->out, job->limit, job->last);
}

Napi::Value Decompressor::FinishJob(Napi::Env env, DecompressJob* job) {
  last_ = job->result;
  if (close_requested_)
    Release(env);
  else
    ReportMemory(env, decoder_->allocated_bytes());
  if (job->result.ret < 0)
    throw StatusError(env, job->result.ret);
  return ToJsBuffer(env, &job->out);
}

Napi::Value Decompressor::Decompress(const Napi::CallbackInfo& info) {
  DecompressJob job = Prepare(info, InputUse::kInPlace);
  RunJob(&job);
  return FinishJob(info.Env(), &job);
}

Napi::Value Decompressor::DecompressAsync(const Napi::CallbackInfo& info) {
  DecompressJob job = Prepare(info, InputUse::kCopy);
  return AsyncStep<Decompressor, DecompressJob>::Start(
      info.Env(), this, BeginCall(info), std::move(job));
}

Napi::Value Decompressor::Close(const Napi::CallbackInfo& info) {
  if (busy()) {
    close_requested_ = true;  // the worker still uses the stream
  } else {
    Release(info.Env());
  }
  return info.Env().Undefined();
}

Napi::Value Decompressor::Eof(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), decoder_->done());
}

Napi::Value Decompressor::NeedsInput(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), decoder_->needs_input());
}

Napi::Value Decompressor::InStream(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), decoder_->in_stream());
}

Napi::Value Decompressor::Consumed(const Napi::CallbackInfo& info) {
  return Count(info.Env(), last_.consumed);
}

Napi::Value Decompressor::StreamsEnded(const Napi::CallbackInfo& info) {
  return Count(info.Env(), last_.streams_ended);
}

Napi::Value Decompressor::LastEndOutput(const Napi::CallbackInfo& info) {
  return Count(info.Env(), last_.last_end_output);
}

}  // namespace bz2napi
