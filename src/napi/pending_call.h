// One asynchronous call in flight on a wrapped object: its Promise, the
// object's busy flag and the reference that keeps the object alive until the
// call settles, even if the caller drops every reference to it (a finalizer
// must never free state that a worker thread is still using). Both ways a call
// runs, a libuv step (napi/async_step.h) and a wake-up from the parallel
// pipeline's threads (parallel_compressor.cc), settle through Settle().
#ifndef BZ2_NAPI_NAPI_PENDING_CALL_H_
#define BZ2_NAPI_NAPI_PENDING_CALL_H_

#include <napi.h>

#include <new>

#include "bzlib.h"
#include "napi/errors.h"

namespace bz2napi {

class PendingCall {
 public:
  // Marks `*busy` until Settle. `self` is the object's JS wrapper.
  PendingCall(Napi::Env env, Napi::Object self, bool* busy)
      : self_(Napi::Persistent(self)),
        deferred_(Napi::Promise::Deferred::New(env)),
        busy_(busy) {
    *busy_ = true;
  }

  Napi::Promise promise() const { return deferred_.Promise(); }

  // Main thread. The object is idle again, then the Promise resolves with
  // what `produce` returns, or rejects with the Napi::Error it throws. The
  // keep-alive goes with this object.
  template <typename Produce>
  void Settle(Produce&& produce) {
    *busy_ = false;
    try {
      try {
        deferred_.Resolve(produce());
      } catch (const Napi::Error& error) {
        deferred_.Reject(error.Value());
      } catch (const std::bad_alloc&) {
        deferred_.Reject(StatusError(deferred_.Env(), BZ_MEM_ERROR).Value());
      }
    } catch (...) {
      // A worker being terminated runs no more JS (or even the error could not
      // be made): the promise cannot settle, and nobody may throw from here.
    }
  }

 private:
  Napi::ObjectReference self_;  // the keep-alive
  Napi::Promise::Deferred deferred_;
  bool* busy_;  // in the object that self_ keeps alive
};

}  // namespace bz2napi

#endif  // BZ2_NAPI_NAPI_PENDING_CALL_H_
