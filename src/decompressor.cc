#include "decompressor.h"

#include "addon_data.h"
#include "args.h"
#include "errors.h"
#include "guarded_method.h"
#include "js_buffer.h"
#include "step_worker.h"

namespace bz2napi {

namespace {

bool RequireBoolean(const Napi::CallbackInfo& info,
                    size_t index,
                    const char* name) {
  if (!info[index].IsBoolean()) {
    throw MakeError(
        info.Env(), ErrorClass::kTypeError, "ERR_INVALID_ARG_TYPE",
        std::string("The \"") + name + "\" argument must be of type boolean");
  }
  return info[index].As<Napi::Boolean>().Value();
}

Napi::Value Count(Napi::Env env, size_t n) {
  return Napi::Number::New(env, static_cast<double>(n));
}

}  // namespace

Napi::Function Decompressor::Define(Napi::Env env) {
  using D = Decompressor;
  Napi::Function ctor = DefineClass(env, kClassName, {});
  ctor.Get("prototype")
      .As<Napi::Object>()
      .DefineProperties({
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
  return ctor;
}

Decompressor::Decompressor(const Napi::CallbackInfo& info)
    : Napi::ObjectWrap<Decompressor>(info),
      decoder_(RequireBoolean(info, 0, "concatenated")) {
  info.This().As<Napi::Object>().TypeTag(&kTypeTag);
  TrackForReclaim(info.Env(), this);
}

void Decompressor::Finalize(Napi::BasicEnv env) {
  Release(env);
  UntrackForReclaim(env, this);
}

void Decompressor::Release(Napi::BasicEnv env) {
  decoder_.End();
  ReportMemory(env);
}

void Decompressor::ReportMemory(Napi::BasicEnv env) {
  const int64_t now = decoder_.allocated_bytes();
  if (now != reported_bytes_) {
    Napi::MemoryManagement::AdjustExternalMemory(env, now - reported_bytes_);
    reported_bytes_ = now;
  }
}

DecompressJob Decompressor::Prepare(const Napi::CallbackInfo& info, bool copy) {
  Napi::Env env = info.Env();
  if (busy_)
    throw BusyError(env);
  if (decoder_.done()) {
    throw MakeError(env, ErrorClass::kError, "ERR_BZ2_EOF",
                    "End of stream already reached");
  }
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
  if (copy) {
    AppendBytes(env, &job.owned, input);
    job.in = job.owned.data();
  } else {
    job.in = input.data;  // read in place
  }
  job.len = input.length;
  return job;
}

void Decompressor::RunJob(DecompressJob* job) {
  job->result = decoder_.Run(job->in, job->len, &job->out, job->limit);
}

Napi::Value Decompressor::FinishJob(Napi::Env env, DecompressJob* job) {
  last_ = job->result;
  if (close_requested_)
    Release(env);
  else
    ReportMemory(env);
  if (job->result.ret < 0)
    throw BzError(env, job->result.ret);
  return ToJsBuffer(env, &job->out);
}

Napi::Value Decompressor::Decompress(const Napi::CallbackInfo& info) {
  DecompressJob job = Prepare(info, false);
  RunJob(&job);
  return FinishJob(info.Env(), &job);
}

Napi::Value Decompressor::DecompressAsync(const Napi::CallbackInfo& info) {
  return StepWorker<Decompressor, DecompressJob>::Start(
      info.Env(), this, info.This().As<Napi::Object>(), Prepare(info, true));
}

Napi::Value Decompressor::Close(const Napi::CallbackInfo& info) {
  if (busy_) {
    close_requested_ = true;  // the worker still uses the stream
  } else {
    Release(info.Env());
  }
  return info.Env().Undefined();
}

Napi::Value Decompressor::Eof(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), decoder_.done());
}

Napi::Value Decompressor::NeedsInput(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), decoder_.needs_input());
}

Napi::Value Decompressor::InStream(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), decoder_.in_stream());
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
