#include "parallel_compressor.h"

#include <new>

#include "addon_data.h"
#include "args.h"
#include "bzlib.h"
#include "guarded_method.h"
#include "js_buffer.h"
#include "stream_codes.h"
#include "worker_pool.h"

namespace bz2napi {

// One pending compressAsync/flushAsync. Owned by its thread-safe function and
// freed when that is finalised, which is also when the JS object it keeps
// alive is let go.
struct ParallelCompressor::AsyncCall {
  ParallelCompressor* owner;
  Napi::ObjectReference self;
  Napi::Promise::Deferred deferred;
  std::shared_ptr<BlockPipeline> pipeline;
  bool finish;
  napi_threadsafe_function tsfn = nullptr;
};

Napi::Function ParallelCompressor::Define(Napi::Env env) {
  Napi::Function ctor = DefineClass(env, kClassName, {});
  ctor.Get("prototype")
      .As<Napi::Object>()
      .DefineProperties({
          GuardedMethod<ParallelCompressor, &ParallelCompressor::Compress>(
              env, "compress"),
          GuardedMethod<ParallelCompressor, &ParallelCompressor::Flush>(
              env, "flush"),
          GuardedMethod<ParallelCompressor, &ParallelCompressor::CompressAsync>(
              env, "compressAsync"),
          GuardedMethod<ParallelCompressor, &ParallelCompressor::FlushAsync>(
              env, "flushAsync"),
          GuardedMethod<ParallelCompressor, &ParallelCompressor::Cancel>(
              env, "cancel"),
          GuardedGetter<ParallelCompressor, &ParallelCompressor::Threads>(
              "threads"),
      });
  return ctor;
}

ParallelCompressor::ParallelCompressor(const Napi::CallbackInfo& info)
    : Napi::ObjectWrap<ParallelCompressor>(info) {
  Napi::Env env = info.Env();
  const int level =
      static_cast<int>(RequireInteger(info, 0, "compresslevel", 1, 9));
  const auto wanted =
      static_cast<size_t>(RequireInteger(info, 1, "threads", 1, 1024));
  const size_t running = WorkerPool::Get().Reserve(wanted);
  if (running == 0) {
    throw MakeError(env, ErrorClass::kError, "ERR_BZ2_MEMORY",
                    "Could not start a compression thread");
  }
  threads_ = wanted < running ? wanted : running;
  try {
    pipeline_ = BlockPipeline::Create(level, threads_,
                                      GetAddonData(env).max_buffer_length);
  } catch (const std::bad_alloc&) {
    throw BzError(env, BZ_MEM_ERROR);
  }
  info.This().As<Napi::Object>().TypeTag(&kTypeTag);
  // The input the pipeline may hold: the blocks in flight and the one being
  // cut. Reported as a bound (the pool's work arrays are shared, not ours), so
  // that V8 collects dropped compressors promptly.
  reported_bytes_ = static_cast<int64_t>((2 * threads_ + 1) * 100000 *
                                         static_cast<size_t>(level));
  Napi::MemoryManagement::AdjustExternalMemory(env, reported_bytes_);
  TrackForReclaim(env, this);
}

void ParallelCompressor::Finalize(Napi::BasicEnv env) {
  Release(env);
  UntrackForReclaim(env, this);
}

void ParallelCompressor::Release(Napi::BasicEnv env) {
  // Threads still compressing a block hold the pipeline; they finish it and
  // drop it.
  if (pipeline_) {
    pipeline_->Abandon(kCancelled);
    pipeline_.reset();
  }
  if (reported_bytes_ != 0) {
    Napi::MemoryManagement::AdjustExternalMemory(env, -reported_bytes_);
    reported_bytes_ = 0;
  }
}

namespace {

// The coded error for a failed pipeline's status.
Napi::Error FailureError(Napi::Env env, int status) {
  if (status == kOutputLimit)
    return TooLargeError(env, GetAddonData(env).max_buffer_length);
  if (status == kCancelled)
    return MakeError(env, ErrorClass::kError, "ABORT_ERR",
                     "The operation was aborted");
  if (status == kInputChanged)
    return MakeError(env, ErrorClass::kError, "ERR_INVALID_STATE",
                     "The input changed while it was being compressed");
  return BzError(env, status);
}

}  // namespace

BlockPipeline& ParallelCompressor::Check(Napi::Env env, bool finish) {
  if (busy_)
    throw BusyError(env);
  if (failure_ != 0)
    throw FailureError(env, failure_);
  if (!pipeline_) {
    throw MakeError(
        env, ErrorClass::kError, "ERR_BZ2_FLUSHED",
        finish ? "Repeated call to flush()" : "Compressor has been flushed");
  }
  return *pipeline_;
}

Napi::Value ParallelCompressor::Collect(Napi::Env env, bool finish) {
  const int status = pipeline_->status();
  if (status != 0) {
    Release(env);
    failure_ = status;
    throw FailureError(env, status);
  }
  OutputBuffer out = pipeline_->TakeOutput();
  if (finish)
    Release(env);
  return ToJsBuffer(env, &out);
}

Napi::Value ParallelCompressor::Compress(const Napi::CallbackInfo& info) {
  BlockPipeline& pipeline = Check(info.Env(), false);
  const ByteView input = RequireBytes(info, 0, "data");
  // The caller's bytes cannot change while this runs, so blocks are read in
  // place; every block that points into them is done before this returns.
  pipeline.Append(input.data, input.length, true);
  pipeline.Wait(BlockPipeline::Until::kSettled);
  return Collect(info.Env(), false);
}

Napi::Value ParallelCompressor::Flush(const Napi::CallbackInfo& info) {
  BlockPipeline& pipeline = Check(info.Env(), true);
  pipeline.Finish();
  pipeline.Wait(BlockPipeline::Until::kSettled);
  return Collect(info.Env(), true);
}

Napi::Value ParallelCompressor::CompressAsync(const Napi::CallbackInfo& info) {
  BlockPipeline& pipeline = Check(info.Env(), false);
  const ByteView input = RequireBytes(info, 0, "data");
  pipeline.Append(input.data, input.length, false);
  return Await(info, BlockPipeline::Until::kRoom, false);
}

Napi::Value ParallelCompressor::FlushAsync(const Napi::CallbackInfo& info) {
  BlockPipeline& pipeline = Check(info.Env(), true);
  pipeline.Finish();
  return Await(info, BlockPipeline::Until::kSettled, true);
}

Napi::Value ParallelCompressor::Cancel(const Napi::CallbackInfo& info) {
  if (pipeline_)
    pipeline_->Abandon(kCancelled);
  return info.Env().Undefined();
}

Napi::Value ParallelCompressor::Threads(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(threads_));
}

Napi::Value ParallelCompressor::Await(const Napi::CallbackInfo& info,
                                      BlockPipeline::Until until,
                                      bool finish) {
  Napi::Env env = info.Env();
  auto* call = new (std::nothrow)
      AsyncCall{this, Napi::Persistent(info.This().As<Napi::Object>()),
                Napi::Promise::Deferred::New(env), pipeline_, finish};
  napi_threadsafe_function tsfn = nullptr;
  if (call == nullptr ||
      napi_create_threadsafe_function(
          env, nullptr, nullptr, Napi::String::New(env, "bz2-napi"), 0, 1, call,
          OnCallFinalize, call, OnReady, &tsfn) != napi_ok) {
    delete call;
    // The input was taken and cannot be reported on: the stream is lost.
    Release(env);
    failure_ = BZ_MEM_ERROR;
    throw BzError(env, BZ_MEM_ERROR);
  }
  Napi::Promise promise = call->deferred.Promise();
  call->tsfn = tsfn;
  busy_ = true;
  // Settled from the event loop even when ready now, so that a caller that
  // awaits call after call still lets the loop turn between them.
  const bool ready = pipeline_->WhenReady(
      until,
      [tsfn] {
        napi_call_threadsafe_function(tsfn, nullptr, napi_tsfn_nonblocking);
      },
      call);
  if (ready)
    napi_call_threadsafe_function(tsfn, nullptr, napi_tsfn_nonblocking);
  return promise;
}

void ParallelCompressor::OnReady(napi_env env,
                                 napi_value,
                                 void* context,
                                 void*) {
  if (env == nullptr)
    return;  // the environment is going away
  auto* call = static_cast<AsyncCall*>(context);
  ParallelCompressor* owner = call->owner;  // alive: call->self holds it
  owner->busy_ = false;
  Napi::Env js_env(env);
  try {
    try {
      call->deferred.Resolve(owner->Collect(js_env, call->finish));
    } catch (const Napi::Error& error) {
      call->deferred.Reject(error.Value());
    }
  } catch (const Napi::Error&) {
    // A worker being terminated runs no more JS: the promise cannot settle,
    // and nobody is left to observe it.
  }
  napi_release_threadsafe_function(call->tsfn, napi_tsfn_release);
}

void ParallelCompressor::OnCallFinalize(napi_env, void* data, void*) {
  auto* call = static_cast<AsyncCall*>(data);
  // When the environment ends first, the pipeline may still hold the notifier;
  // it must not call a function that no longer exists.
  call->pipeline->ForgetNotifier(call);
  delete call;
}

}  // namespace bz2napi
