// Per-environment settings of the addon (instance data, so every worker_thread
// has its own).
#ifndef BZ2_NAPI_NAPI_ADDON_DATA_H_
#define BZ2_NAPI_NAPI_ADDON_DATA_H_

#include <napi.h>

#include <cstddef>

#include "napi/reclaimer.h"

namespace bz2napi {

struct AddonData {
  // The largest Buffer the runtime can create (buffer.constants.MAX_LENGTH),
  // set by lib/native.ts at load. Until then, 2^32 - 1: below every Node
  // version's limit on 64-bit.
  size_t max_buffer_length = 0xffffffffu;
  // This environment's compressors and decompressors, to free the memory of
  // collected ones before their finalizers run.
  Reclaimer reclaimer;
};

// Tracks `object` in its environment's Reclaimer (the last step of a
// constructor). Throws ERR_BZ2_MEMORY if it cannot.
void TrackForReclaim(Napi::Env env, Reclaimable* object);

// Stops tracking `object` (from its finalizer, where the environment may be
// tearing down).
void UntrackForReclaim(Napi::BasicEnv env, Reclaimable* object);

// This environment's AddonData (created by the module's Init).
inline AddonData& GetAddonData(Napi::Env env) {
  return *env.GetInstanceData<AddonData>();
}

}  // namespace bz2napi

#endif  // BZ2_NAPI_NAPI_ADDON_DATA_H_
