#include "napi/reclaimer.h"

#include <algorithm>

namespace bz2napi {

void Reclaimer::Track(Napi::Env env, Reclaimable* object) {
  // Collected objects appear only when the GC runs: look for them once after
  // each GC (a sentinel object's weak reference tells), and once the tracked
  // count has doubled.
  if (GcRan(env) || tracked_.size() + 1 >= sweep_at_) {
    Sweep(env);
    sweep_at_ = std::max(kFirstSweep, 2 * (tracked_.size() + 1));
    PlantSentinel(env);
  }
  tracked_.push_back(object);
  object->reclaim_index_ = tracked_.size() - 1;
}

bool Reclaimer::GcRan(Napi::Env env) {
  if (sentinel_ == nullptr)
    return true;
  napi_value value = nullptr;
  return napi_get_reference_value(env, sentinel_, &value) != napi_ok ||
         value == nullptr;
}

void Reclaimer::PlantSentinel(Napi::Env env) {
  if (sentinel_ != nullptr) {
    napi_delete_reference(env, sentinel_);
    sentinel_ = nullptr;
  }
  // A weak reference (count 0) to an object nothing else holds. If it cannot
  // be made, the next Track looks again: slower, never wrong.
  napi_create_reference(env, Napi::Object::New(env), 0, &sentinel_);
}

void Reclaimer::Close(napi_env env) {
  if (sentinel_ != nullptr) {
    napi_delete_reference(env, sentinel_);
    sentinel_ = nullptr;
  }
}

void Reclaimer::Untrack(Reclaimable* object) {
  const size_t index = object->reclaim_index_;
  if (index < tracked_.size() && tracked_[index] == object)
    Remove(index);
}

void Reclaimer::Sweep(Napi::Env env) {
  Napi::HandleScope scope(env);
  for (size_t i = 0; i < tracked_.size();) {
    Reclaimable* object = tracked_[i];
    if (object->Collected()) {
      object->Reclaim(env);
      Remove(i);  // moves the last one here: look at index i again
    } else {
      ++i;
    }
  }
}

void Reclaimer::Remove(size_t index) {
  Reclaimable* removed = tracked_[index];
  Reclaimable* last = tracked_.back();
  tracked_[index] = last;
  last->reclaim_index_ = index;
  tracked_.pop_back();
  removed->reclaim_index_ = static_cast<size_t>(-1);
}

}  // namespace bz2napi
