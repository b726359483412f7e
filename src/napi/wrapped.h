// The shell every class the addon exports shares: Compressor, Decompressor
// and ParallelCompressor are each only their engine and their methods. It owns
// the type tag that guarded methods check, the coded error for a call without
// `new`, finalization, the busy flag and the pending call that sets it, and
// the memory reported to V8.
//
// A subclass provides kTypeTag, kClassName, Release() (free the native state
// and report 0, idempotent) and a Finalize that calls Finalized(), and ends
// its constructor with Adopt().
#ifndef BZ2_NAPI_NAPI_WRAPPED_H_
#define BZ2_NAPI_NAPI_WRAPPED_H_

#include <napi.h>

#include <cstdint>
#include <initializer_list>

#include "napi/addon_data.h"
#include "napi/errors.h"
#include "napi/guarded_method.h"
#include "napi/pending_call.h"
#include "napi/reclaimer.h"

namespace bz2napi {

template <typename T>
class Wrapped : public Napi::ObjectWrap<T>, public Reclaimable {
 public:
  // Replaces ObjectWrap's uncoded TypeError for a call without `new`.
  static Napi::Value OnCalledAsFunction(const Napi::CallbackInfo& info) {
    throw ConstructCallError(info.Env(), T::kClassName);
  }

  // Reclaimable: the wrapper was collected; the memory goes before the
  // finalizer runs.
  bool Collected() final { return this->Value().IsEmpty(); }
  void Reclaim(Napi::Env env) final { Release(env); }

 protected:
  explicit Wrapped(const Napi::CallbackInfo& info)
      : Napi::ObjectWrap<T>(info) {}

  // The class, with `members` (GuardedMethod / GuardedGetter descriptors) on
  // its prototype.
  static Napi::Function DefineWith(
      Napi::Env env,
      std::initializer_list<Napi::PropertyDescriptor> members) {
    Napi::Function ctor =
        Napi::ObjectWrap<T>::DefineClass(env, T::kClassName, {});
    ctor.Get("prototype").template As<Napi::Object>().DefineProperties(members);
    return ctor;
  }

  // The last step of a constructor, once the native state is built: the type
  // tag makes the object acceptable to guarded methods, and the Reclaimer
  // tracks it.
  void Adopt(const Napi::CallbackInfo& info) {
    static_assert(Napi::details::HasBasicFinalizer<T>::value,
                  "declare: void Finalize(Napi::BasicEnv env) override { "
                  "Finalized(env); }");
    info.This().template As<Napi::Object>().TypeTag(&T::kTypeTag);
    TrackForReclaim(info.Env(), this);
  }

  // The whole of finalization. node-addon-api calls a finalizer only when the
  // class itself declares one, so each class's Finalize is this one call.
  void Finalized(Napi::BasicEnv env) {
    Release(env);
    UntrackForReclaim(env, this);
  }

  // Frees the native state and calls ReportMemory(env, 0). Idempotent: the
  // finalizer calls it after the class and the Reclaimer may have.
  virtual void Release(Napi::BasicEnv env) = 0;

  bool busy() const { return busy_; }
  // Throws ERR_BZ2_BUSY while an asynchronous call is pending.
  void CheckIdle(Napi::Env env) const {
    if (busy_)
      throw BusyError(env);
  }

  // An asynchronous call on this object: busy, and kept alive, until it
  // settles.
  PendingCall BeginCall(const Napi::CallbackInfo& info) {
    return PendingCall(info.Env(), info.This().template As<Napi::Object>(),
                       &busy_);
  }

  // Tells V8 that this object now holds `bytes` of native memory.
  void ReportMemory(Napi::BasicEnv env, int64_t bytes) {
    if (bytes != reported_bytes_) {
      Napi::MemoryManagement::AdjustExternalMemory(env,
                                                   bytes - reported_bytes_);
      reported_bytes_ = bytes;
    }
  }

 private:
  int64_t reported_bytes_ = 0;
  bool busy_ = false;
};

}  // namespace bz2napi

#endif  // BZ2_NAPI_NAPI_WRAPPED_H_
