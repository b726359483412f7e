#include "napi/addon_data.h"

#include <new>

#include "bzlib.h"
#include "napi/errors.h"

namespace bz2napi {

void TrackForReclaim(Napi::Env env, Reclaimable* object) {
  try {
    GetAddonData(env).reclaimer.Track(env, object);
  } catch (const std::bad_alloc&) {
    throw StatusError(env, BZ_MEM_ERROR);
  }
}

void UntrackForReclaim(Napi::BasicEnv env, Reclaimable* object) {
  if (auto* data = env.GetInstanceData<AddonData>())
    data->reclaimer.Untrack(object);
}

}  // namespace bz2napi
