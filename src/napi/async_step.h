// Runs one step of a Compressor or Decompressor on the libuv thread pool and
// settles its PendingCall with the result. The same RunJob/FinishJob pair
// serves the synchronous methods, so the sync and async paths share every line
// of libbzip2 handling.
#ifndef BZ2_NAPI_NAPI_ASYNC_STEP_H_
#define BZ2_NAPI_NAPI_ASYNC_STEP_H_

#include <napi.h>

#include <utility>

#include "napi/pending_call.h"

namespace bz2napi {

// How a step reads its input. kInPlace: it runs now, on the caller's bytes.
// kCopy: it runs later, on another thread, on a copy made before the call
// returns.
enum class InputUse { kInPlace, kCopy };

// Owner must provide:
//   void RunJob(Job*);                       any thread; touches only its
//                                            libbzip2 state and the job
//   Napi::Value FinishJob(Napi::Env, Job*);  main thread; throws Napi::Error
//                                            to reject
template <typename Owner, typename Job>
class AsyncStep : public Napi::AsyncWorker {
 public:
  // Queues the job and returns the call's Promise.
  static Napi::Promise Start(Napi::Env env,
                             Owner* owner,
                             PendingCall call,
                             Job job) {
    auto* step = new AsyncStep(env, owner, std::move(call), std::move(job));
    Napi::Promise promise = step->call_.promise();
    step->Queue();
    return promise;
  }

 private:
  AsyncStep(Napi::Env env, Owner* owner, PendingCall call, Job job)
      : Napi::AsyncWorker(env, "bz2-napi"),
        owner_(owner),
        call_(std::move(call)),
        job_(std::move(job)) {}

  void Execute() override { owner_->RunJob(&job_); }

  void OnOK() override {
    call_.Settle([this] { return owner_->FinishJob(Env(), &job_); });
  }

  void OnError(const Napi::Error& error) override {
    call_.Settle([&error]() -> Napi::Value { throw error; });
  }

  Owner* owner_;  // alive: call_ keeps its JS object
  PendingCall call_;
  Job job_;
};

}  // namespace bz2napi

#endif  // BZ2_NAPI_NAPI_ASYNC_STEP_H_
