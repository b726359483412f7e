#include "parallel_compressor.h"

#include <new>

#include "bzip2/status_codes.h"
#include "napi/args.h"
#include "napi/js_buffer.h"
#include "parallel/worker_pool.h"

namespace bz2napi {

// One pending compressAsync/flushAsync. Owned by its thread-safe function and
// freed when that is finalised, which is also when the keep-alive goes.
struct ParallelCompressor::AsyncCall {
  ParallelCompressor* owner;  // alive: call keeps its JS object
  PendingCall call;
  std::shared_ptr<BlockPipeline> pipeline;
  Step step;
  napi_threadsafe_function tsfn = nullptr;
};

Napi::Function ParallelCompressor::Define(Napi::Env env) {
  using P = ParallelCompressor;
  return DefineWith(
      env, {
               GuardedMethod<P, &P::Compress>(env, "compress"),
               GuardedMethod<P, &P::Flush>(env, "flush"),
               GuardedMethod<P, &P::CompressAsync>(env, "compressAsync"),
               GuardedMethod<P, &P::FlushAsync>(env, "flushAsync"),
               GuardedMethod<P, &P::Cancel>(env, "cancel"),
               GuardedGetter<P, &P::Threads>("threads"),
           });
}

ParallelCompressor::ParallelCompressor(const Napi::CallbackInfo& info)
    : Wrapped<ParallelCompressor>(info) {
  Napi::Env env = info.Env();
  const int level =
      static_cast<int>(RequireInteger(info, 0, "compresslevel", 1, 9));
  const auto wanted =
      static_cast<size_t>(RequireInteger(info, 1, "threads", 1, 1024));
  if (wanted == 1) {
    // The synchronous calls compress on the calling thread; the pool's one
    // thread is started by the first asynchronous call.
    threads_ = 1;
  } else {
    threads_ = ReservePool(env, wanted);
  }
  try {
    pipeline_ = BlockPipeline::Create(level, threads_,
                                      GetAddonData(env).max_buffer_length);
  } catch (const std::bad_alloc&) {
    throw StatusError(env, BZ_MEM_ERROR);
  }
  // The input the pipeline may hold: the blocks in flight and the one being
  // cut, each at most 100000 x level bytes after the run-length stage
  // (BlockCutter). Reported as a bound, so that V8 collects dropped compressors
  // promptly; the pool's work arrays are shared, not ours, but the calling
  // thread's encoder is, and is added while it exists (Report).
  input_bound_ = static_cast<int64_t>((pipeline_->max_in_flight() + 1) *
                                      100000 * static_cast<size_t>(level));
  ReportMemory(env, input_bound_);
  Adopt(info);
}

size_t ParallelCompressor::ReservePool(Napi::Env env, size_t wanted) {
  const size_t running = WorkerPool::Get().Reserve(wanted);
  if (running == 0)
    throw StatusError(env, BZ_MEM_ERROR);  // no thread could start
  pool_reserved_ = true;
  return wanted < running ? wanted : running;
}

void ParallelCompressor::Report(Napi::BasicEnv env) {
  ReportMemory(
      env, pipeline_
               ? input_bound_ + static_cast<int64_t>(
                                    pipeline_->calling_thread_encoder_bytes())
               : 0);
}

void ParallelCompressor::Release(Napi::BasicEnv env) {
  // Threads still compressing a block hold the pipeline; they finish it and
  // drop it.
  if (pipeline_) {
    pipeline_->FreeCallingThreadEncoder();
    pipeline_->Abandon(kCancelled);
    pipeline_.reset();
  }
  ReportMemory(env, 0);
}

BlockPipeline& ParallelCompressor::Check(Napi::Env env) {
  CheckIdle(env);
  if (failure_ != 0)
    throw StatusError(env, failure_);
  if (!pipeline_)
    throw EndedError(env, "ERR_BZ2_FLUSHED");
  return *pipeline_;
}

Napi::Value ParallelCompressor::Collect(Napi::Env env, Step step) {
  const int status = pipeline_->status();
  if (status != 0) {
    Release(env);
    failure_ = status;
    throw StatusError(env, status);
  }
  OutputBuffer out = pipeline_->TakeOutput();
  if (step == Step::kFlush)
    Release(env);
  else
    Report(env);
  return ToJsBuffer(env, &out);
}

BlockPipeline::Where ParallelCompressor::SyncWhere() const {
  return threads_ == 1 ? BlockPipeline::Where::kCallingThread
                       : BlockPipeline::Where::kPool;
}

Napi::Value ParallelCompressor::Compress(const Napi::CallbackInfo& info) {
  BlockPipeline& pipeline = Check(info.Env());
  const ByteView input = RequireBytes(info, 0, "data");
  // Cut here, a block at a time as room frees up; every block cut from the
  // input is compressed before this returns.
  pipeline.Append(input.data, input.length, BlockPipeline::Pace::kWait,
                  SyncWhere());
  pipeline.Wait(BlockPipeline::Until::kSettled);
  return Collect(info.Env(), Step::kCompress);
}

Napi::Value ParallelCompressor::Flush(const Napi::CallbackInfo& info) {
  BlockPipeline& pipeline = Check(info.Env());
  pipeline.Finish(SyncWhere());
  pipeline.Wait(BlockPipeline::Until::kSettled);
  return Collect(info.Env(), Step::kFlush);
}

Napi::Value ParallelCompressor::CompressAsync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  BlockPipeline& pipeline = Check(env);
  const ByteView input = RequireBytes(info, 0, "data");
  if (!pool_reserved_)
    ReservePool(env, threads_);  // before any input is taken
  pipeline.Append(input.data, input.length, BlockPipeline::Pace::kQueue);
  return Await(info, BlockPipeline::Until::kRoom, Step::kCompress);
}

Napi::Value ParallelCompressor::FlushAsync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  BlockPipeline& pipeline = Check(env);
  if (!pool_reserved_)
    ReservePool(env, threads_);
  pipeline.Finish();
  return Await(info, BlockPipeline::Until::kSettled, Step::kFlush);
}

Napi::Value ParallelCompressor::Cancel(const Napi::CallbackInfo& info) {
  if (pipeline_) {
    // Only synchronous calls use the calling thread's encoder: none runs now.
    pipeline_->FreeCallingThreadEncoder();
    pipeline_->Abandon(kCancelled);
    Report(info.Env());
  }
  return info.Env().Undefined();
}

Napi::Value ParallelCompressor::Threads(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(threads_));
}

Napi::Value ParallelCompressor::Await(const Napi::CallbackInfo& info,
                                      BlockPipeline::Until until,
                                      Step step) {
  Napi::Env env = info.Env();
  auto* call =
      new (std::nothrow) AsyncCall{this, BeginCall(info), pipeline_, step};
  napi_threadsafe_function tsfn = nullptr;
  if (call == nullptr ||
      napi_create_threadsafe_function(
          env, nullptr, nullptr, Napi::String::New(env, "bz2-napi"), 0, 1, call,
          OnCallFinalize, call, OnReady, &tsfn) != napi_ok) {
    if (call != nullptr) {
      // Not busy any more; nobody has seen this promise.
      call->call.Settle([env] { return env.Undefined(); });
      delete call;
    }
    // The input was taken and cannot be reported on: the stream is lost.
    Release(env);
    failure_ = BZ_MEM_ERROR;
    throw StatusError(env, BZ_MEM_ERROR);
  }
  Napi::Promise promise = call->call.promise();
  call->tsfn = tsfn;
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
  call->call.Settle(
      [&] { return call->owner->Collect(Napi::Env(env), call->step); });
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
