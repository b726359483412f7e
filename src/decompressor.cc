#include "decompressor.h"

#include <limits>

#include "addon_data.h"
#include "args.h"
#include "errors.h"
#include "guarded_method.h"
#include "js_buffer.h"
#include "step_worker.h"

namespace bz2napi {

Napi::Function Decompressor::Define(Napi::Env env) {
  Napi::Function ctor = DefineClass(env, kClassName, {});
  ctor.Get("prototype")
      .As<Napi::Object>()
      .DefineProperties({
          GuardedMethod<Decompressor, &Decompressor::Decompress>(env,
                                                                 "decompress"),
          GuardedMethod<Decompressor, &Decompressor::DecompressAsync>(
              env, "decompressAsync"),
          GuardedGetter<Decompressor, &Decompressor::Eof>("eof"),
          GuardedGetter<Decompressor, &Decompressor::NeedsInput>("needsInput"),
          GuardedGetter<Decompressor, &Decompressor::UnusedData>("unusedData"),
      });
  return ctor;
}

Decompressor::Decompressor(const Napi::CallbackInfo& info)
    : Napi::ObjectWrap<Decompressor>(info) {
  const int ret = stream_.Init();
  if (ret != BZ_OK)
    throw BzError(info.Env(), ret);
  info.This().As<Napi::Object>().TypeTag(&kTypeTag);
  ReportMemory(info.Env());
}

void Decompressor::Finalize(Napi::BasicEnv env) {
  Release(env);
}

void Decompressor::ReportMemory(Napi::BasicEnv env) {
  const int64_t now = stream_.active() ? stream_.allocated_bytes() : 0;
  if (now != reported_bytes_) {
    Napi::MemoryManagement::AdjustExternalMemory(env, now - reported_bytes_);
    reported_bytes_ = now;
  }
}

void Decompressor::Release(Napi::BasicEnv env) {
  stream_.End();
  ReportMemory(env);
}

DecompressJob Decompressor::Prepare(const Napi::CallbackInfo& info, bool copy) {
  Napi::Env env = info.Env();
  if (busy_)
    throw BusyError(env);
  if (failed_)
    throw BzError(env, BZ_DATA_ERROR);
  if (eof_) {
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
  if (!pending_.empty()) {
    // Earlier input still waits: the new bytes go behind it (CPython's input
    // buffer), and an async step takes the whole buffer with it.
    AppendBytes(env, &pending_, input);
    if (copy)
      job.owned.swap(pending_);
  } else if (copy) {
    AppendBytes(env, &job.owned, input);
  }
  if (copy) {
    job.in = job.owned.data();
    job.len = job.owned.size();
  } else if (!pending_.empty()) {
    job.in = pending_.data();
    job.len = pending_.size();
  } else {
    job.in = input.data;  // read in place
    job.len = input.length;
  }
  return job;
}

void Decompressor::RunJob(DecompressJob* job) {
  job->ret =
      stream_.Run(job->in, job->len, &job->consumed, &job->out, job->limit);
}

Napi::Value Decompressor::FinishJob(Napi::Env env, DecompressJob* job) {
  const uint8_t* rest = job->in + job->consumed;
  const uint8_t* end = job->in + job->len;
  if (job->ret < 0) {
    failed_ = true;
    pending_.clear();
    Release(env);
    throw BzError(env, job->ret);
  }
  if (job->ret == BZ_STREAM_END) {
    eof_ = true;
    needs_input_ = false;
    unused_.assign(rest, end);
    pending_.clear();
    Release(env);
  } else if (rest == end) {
    pending_.clear();
    // Output that stopped exactly at the limit may have more behind it.
    needs_input_ = job->out.size() < job->limit;
  } else {
    if (!pending_.empty() && job->in == pending_.data()) {
      pending_.erase(pending_.begin(),
                     pending_.begin() + static_cast<ptrdiff_t>(job->consumed));
    } else {
      pending_.assign(rest, end);
    }
    needs_input_ = false;
  }
  ReportMemory(env);
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

Napi::Value Decompressor::Eof(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), eof_);
}

Napi::Value Decompressor::NeedsInput(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), needs_input_);
}

Napi::Value Decompressor::UnusedData(const Napi::CallbackInfo& info) {
  return Napi::Buffer<uint8_t>::Copy(info.Env(), unused_.data(),
                                     unused_.size());
}

}  // namespace bz2napi
