// Results of CompressStream::Run / DecompressStream::Run beside libbzip2's own
// (negative, below libbzip2's range).
#ifndef BZ2_NAPI_STREAM_CODES_H_
#define BZ2_NAPI_STREAM_CODES_H_

namespace bz2napi {

// A call that neither read input nor wrote output though both were possible.
// libbzip2 should never do that; treating it as an error keeps a caller's loop
// from spinning forever.
constexpr int kNoProgress = -100;

// The output would pass the largest Buffer the runtime can make.
constexpr int kOutputLimit = -101;

}  // namespace bz2napi

#endif  // BZ2_NAPI_STREAM_CODES_H_
