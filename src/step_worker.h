// Runs one step of a Compressor or Decompressor on the libuv thread pool and
// settles a Promise with its result. The same RunJob/FinishJob pair serves the
// synchronous methods, so the sync and async paths share every line of libbzip2
// handling.
#ifndef BZ2_NAPI_STEP_WORKER_H_
#define BZ2_NAPI_STEP_WORKER_H_

#include <napi.h>

#include <utility>

namespace bz2napi {

// Owner must provide:
//   void set_busy(bool);                            main thread
//   void RunJob(Job*);                              any thread; touches only
//   its libbzip2
//                                                   state and the job
//   Napi::Value FinishJob(Napi::Env, Job*);         main thread; throws
//   Napi::Error to reject
template <typename Owner, typename Job>
class StepWorker : public Napi::AsyncWorker {
 public:
  // Queues the job and returns its Promise. The owner is busy until the job
  // settles, and its JS object is kept alive until then even if the caller
  // drops every reference.
  static Napi::Promise Start(Napi::Env env,
                             Owner* owner,
                             Napi::Object self,
                             Job job) {
    auto* worker = new StepWorker(env, owner, self, std::move(job));
    Napi::Promise promise = worker->deferred_.Promise();
    worker->Queue();
    return promise;
  }

 private:
  StepWorker(Napi::Env env, Owner* owner, Napi::Object self, Job job)
      : Napi::AsyncWorker(env, "bz2-napi"),
        owner_(owner),
        self_(Napi::Persistent(self)),
        job_(std::move(job)),
        deferred_(Napi::Promise::Deferred::New(env)) {
    owner_->set_busy(true);
  }

  void Execute() override { owner_->RunJob(&job_); }

  void OnOK() override {
    owner_->set_busy(false);
    try {
      deferred_.Resolve(owner_->FinishJob(Env(), &job_));
    } catch (const Napi::Error& error) {
      deferred_.Reject(error.Value());
    }
  }

  void OnError(const Napi::Error& error) override {
    owner_->set_busy(false);
    deferred_.Reject(error.Value());
  }

  Owner* owner_;
  Napi::ObjectReference self_;
  Job job_;
  Napi::Promise::Deferred deferred_;
};

}  // namespace bz2napi

#endif  // BZ2_NAPI_STEP_WORKER_H_
