// compress(data, level) and decompress(data, maxOutputLength) on the addon's
// exports: the synchronous one-shot functions behind compressSync /
// decompressSync.
#ifndef BZ2_NAPI_ONE_SHOT_BINDING_H_
#define BZ2_NAPI_ONE_SHOT_BINDING_H_

#include <napi.h>

namespace bz2napi {

void ExportOneShot(Napi::Env env, Napi::Object exports);

}  // namespace bz2napi

#endif  // BZ2_NAPI_ONE_SHOT_BINDING_H_
