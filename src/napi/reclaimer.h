// Frees the native memory of objects whose JS wrappers were garbage-collected,
// without waiting for their finalizers.
//
// Node-API runs the finalizers of a module built against a stable Node-API
// version from the event loop (a SetImmediate after the GC), never inside the
// GC; only modules built against its experimental version get finalizers run
// by the GC itself. So a synchronous loop that drops objects would keep every
// one's libbzip2 memory (3.6 MB a decompressor, 7.6 MB a compressor at level
// 9) until it yields. The GC does clear a wrapper's weak reference at once,
// though: so every new object first looks, now and then, for tracked objects
// whose wrapper is gone and frees their memory; the finalizer later only
// deletes the C++ object. It looks once after each GC, which a sentinel
// object's weak reference reveals (napi has no GC hook), so the looking costs
// one walk over the tracked objects per GC at most.
#ifndef BZ2_NAPI_NAPI_RECLAIMER_H_
#define BZ2_NAPI_NAPI_RECLAIMER_H_

#include <napi.h>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace bz2napi {

class Reclaimable {
 public:
  virtual ~Reclaimable() = default;
  // Whether the JS wrapper was collected (its weak reference is empty). Called
  // only from JS calls on the main thread, never from a finalizer.
  virtual bool Collected() = 0;
  // Frees the native memory now and takes it off V8's books. Only for an
  // object whose wrapper was collected: no call is running on it, and none
  // can start. Must be idempotent (the finalizer releases again).
  virtual void Reclaim(Napi::Env env) = 0;

 private:
  friend class Reclaimer;
  size_t reclaim_index_ = static_cast<size_t>(-1);  // in Reclaimer::tracked_
};

// One per environment (in AddonData).
class Reclaimer {
 public:
  // Tracks a new object, after looking for collected ones if the GC has run
  // since the last look, or the tracked count has doubled. Throws
  // std::bad_alloc.
  void Track(Napi::Env env, Reclaimable* object);
  // Forgets an object (its finalizer). No-op if it is not tracked.
  void Untrack(Reclaimable* object);
  // Deletes the sentinel's reference: from the environment's cleanup hook,
  // which runs before Node-API tears the environment down (Node frees no
  // reference that userland made).
  void Close(napi_env env);

 private:
  static constexpr size_t kFirstSweep = 8;

  // Whether the sentinel was collected: a GC ran since it was planted.
  bool GcRan(Napi::Env env);
  void PlantSentinel(Napi::Env env);
  void Sweep(Napi::Env env);
  void Remove(size_t index);

  std::vector<Reclaimable*> tracked_;
  size_t sweep_at_ = kFirstSweep;
  napi_ref sentinel_ = nullptr;
};

}  // namespace bz2napi

#endif  // BZ2_NAPI_NAPI_RECLAIMER_H_
