// The statuses our own engines return beside libbzip2's (negative, below
// libbzip2's range). napi/errors.cc maps every status to one coded error.
#ifndef BZ2_NAPI_BZIP2_STATUS_CODES_H_
#define BZ2_NAPI_BZIP2_STATUS_CODES_H_

namespace bz2napi {

// A call that neither read input nor wrote output though both were possible.
// libbzip2 should never do that; treating it as an error keeps a caller's loop
// from spinning forever.
constexpr int kNoProgress = -100;

// The output would pass the largest Buffer the runtime can make.
constexpr int kOutputLimit = -101;

// The work was cancelled (cancel(), or the object was let go).
constexpr int kCancelled = -102;

}  // namespace bz2napi

#endif  // BZ2_NAPI_BZIP2_STATUS_CODES_H_
