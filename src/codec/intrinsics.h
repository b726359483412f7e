// The few compiler intrinsics the codec uses, for GCC and Clang (every
// prebuild, zig included) and MSVC (a from-source build on Windows).
#ifndef BZ2_NAPI_CODEC_INTRINSICS_H_
#define BZ2_NAPI_CODEC_INTRINSICS_H_

#include <cstdint>

#if defined(_MSC_VER) && !defined(__clang__)
#include <intrin.h>
#endif

// Keeps a function out of line.
#if defined(_MSC_VER) && !defined(__clang__)
#define BZ2_NAPI_NOINLINE __declspec(noinline)
#else
#define BZ2_NAPI_NOINLINE __attribute__((noinline))
#endif

namespace bz2napi {
namespace codec {

// Index of the lowest set bit of `x` (not 0).
inline int LowestBit(uint64_t x) {
#if defined(_MSC_VER) && !defined(__clang__)
  unsigned long bit;
  _BitScanForward64(&bit, x);
  return static_cast<int>(bit);
#else
  return __builtin_ctzll(x);
#endif
}

// Index of the highest set bit of `x` (not 0).
inline int HighestBit(uint64_t x) {
#if defined(_MSC_VER) && !defined(__clang__)
  unsigned long bit;
  _BitScanReverse64(&bit, x);
  return static_cast<int>(bit);
#else
  return 63 - __builtin_clzll(x);
#endif
}

inline uint64_t ByteSwap64(uint64_t x) {
#if defined(_MSC_VER) && !defined(__clang__)
  return _byteswap_uint64(x);
#else
  return __builtin_bswap64(x);
#endif
}

// Asks for the cache line at `p` to be read, or written, soon. A hint only:
// any address may be given.
inline void PrefetchRead(const void* p) {
#if defined(_MSC_VER) && !defined(__clang__)
#if defined(_M_X64) || defined(_M_IX86)
  _mm_prefetch(static_cast<const char*>(p), _MM_HINT_T0);
#else
  (void)p;
#endif
#else
  __builtin_prefetch(p);
#endif
}

inline void PrefetchWrite(const void* p) {
#if defined(_MSC_VER) && !defined(__clang__)
  PrefetchRead(p);
#else
  __builtin_prefetch(p, 1);
#endif
}

}  // namespace codec
}  // namespace bz2napi

#endif  // BZ2_NAPI_CODEC_INTRINSICS_H_
