// Per-environment settings of the addon (instance data, so every worker_thread
// has its own).
#ifndef BZ2_NAPI_ADDON_DATA_H_
#define BZ2_NAPI_ADDON_DATA_H_

#include <napi.h>

#include <cstddef>

namespace bz2napi {

struct AddonData {
  // The largest Buffer the runtime can create (buffer.constants.MAX_LENGTH),
  // set by lib/native.ts at load. Until then, 2^32 - 1: below every Node
  // version's limit on 64-bit.
  size_t max_buffer_length = 0xffffffffu;
};

// This environment's AddonData (created by the module's Init).
inline AddonData& GetAddonData(Napi::Env env) {
  return *env.GetInstanceData<AddonData>();
}

}  // namespace bz2napi

#endif  // BZ2_NAPI_ADDON_DATA_H_
