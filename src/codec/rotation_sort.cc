#include "codec/rotation_sort.h"

#include <cstring>

#include "codec/intrinsics.h"
#include "codec/suffix_array.h"

namespace bz2napi {
namespace codec {

namespace {

// The most candidates compared directly; more go to the linear search.
constexpr int32_t kMaxCandidates = 32;

inline uint64_t BigEndian64(const uint8_t* p) {
  uint64_t word;
  std::memcpy(&word, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
  return word;
#else
  return ByteSwap64(word);
#endif
}

// The linear search, for blocks with many rotations that begin alike.
LeastRotation TwoCandidateSearch(const uint8_t* doubled, int32_t n);

}  // namespace

LeastRotation FindLeastRotation(const uint8_t* doubled, int32_t n) {
  // The least rotation begins with the least 8 bytes of any rotation. Those
  // are usually found at a few places only: then compare those rotations
  // whole (a memcmp each, so at most kMaxCandidates x n bytes).
  if (n >= 8) {
    int32_t where[kMaxCandidates];
    int32_t count = 0;
    uint64_t least = ~uint64_t{0};
    for (int32_t i = 0; i < n; ++i) {
      const uint64_t word = BigEndian64(doubled + i);
      if (word < least) {
        least = word;
        count = 0;
      }
      if (word == least) {
        if (count < kMaxCandidates)
          where[count] = i;
        ++count;
      }
    }
    if (count <= kMaxCandidates) {
      LeastRotation result;
      result.start = where[0];
      for (int32_t c = 1; c < count; ++c) {
        const int order = std::memcmp(
            doubled + where[c], doubled + result.start, static_cast<size_t>(n));
        if (order == 0)
          result.periodic = true;  // two equal rotations; keep the first
        else if (order < 0)
          result.start = where[c];
      }
      return result;
    }
  }
  return TwoCandidateSearch(doubled, n);
}

namespace {

LeastRotation TwoCandidateSearch(const uint8_t* doubled, int32_t n) {
  // Two candidates i and j and the length k of their common prefix. When
  // rotation i is the greater at offset k, none of i..i+k can be least (each
  // is greater than its counterpart from j), and the same for j. If k reaches
  // n, rotations i and j are equal: the block is periodic.
  int32_t i = 0;
  int32_t j = 1;
  int32_t k = 0;
  const int32_t end = 2 * n;
  while (i < n && j < n && k < n) {
    const int32_t a_at = i + k;
    const int32_t b_at = j + k;
    // Eight bytes at a time while they stay within both the doubled block
    // and the n bytes of a rotation.
    if (k + 8 <= n && (a_at > b_at ? a_at : b_at) + 8 <= end) {
      uint64_t a;
      uint64_t b;
      std::memcpy(&a, doubled + a_at, 8);
      std::memcpy(&b, doubled + b_at, 8);
      if (a == b) {
        k += 8;
        continue;
      }
      // The first differing byte: the lowest-addressed one, which is the
      // lowest-order byte of a little-endian load.
      uint64_t diff = a ^ b;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
      k += (63 - HighestBit(diff)) >> 3;
#else
      k += LowestBit(diff) >> 3;
#endif
    }
    const uint8_t a = doubled[i + k];
    const uint8_t b = doubled[j + k];
    if (a == b) {
      ++k;
      continue;
    }
    if (a > b)
      i += k + 1;
    else
      j += k + 1;
    if (i == j)
      ++j;
    k = 0;
  }
  LeastRotation result;
  result.periodic = k >= n;
  result.start = i < j ? i : j;
  return result;
}

}  // namespace

RotationSort SortRotations(uint8_t* block,
                           int32_t n,
                           size_t area_bytes,
                           uint32_t* ptr,
                           int32_t* orig_ptr,
                           const uint8_t** text) {
  if (n <= 0)
    return RotationSort::kOutOfMemory;
  // The copy, then the suffix sort's scratch, aligned for its 64-bit words.
  const size_t used = (2 * static_cast<size_t>(n) + 7) & ~size_t{7};
  if (area_bytes < used)
    return RotationSort::kOutOfMemory;
  auto* work = reinterpret_cast<int32_t*>(block + used);
  const size_t work_length = (area_bytes - used) / sizeof(int32_t);
  if (work_length < static_cast<size_t>(n / 2 + 1))
    return RotationSort::kOutOfMemory;
  std::memcpy(block + n, block, static_cast<size_t>(n));
  const LeastRotation least = FindLeastRotation(block, n);
  if (least.periodic)
    return RotationSort::kPeriodic;
  // Suffix k of the rotated block is rotation k of it; the block's rotation
  // 0 is its rotation n - r.
  const int32_t r = least.start;
  auto* sa = reinterpret_cast<int32_t*>(ptr);
  if (!SuffixArray(block + r, n, sa, work, work_length))
    return RotationSort::kOutOfMemory;
  const int32_t zero = r == 0 ? 0 : n - r;
  for (int32_t q = 0; q < n; ++q) {
    if (sa[q] == zero) {
      *orig_ptr = q;
      break;
    }
  }
  *text = block + r;
  return RotationSort::kSorted;
}

}  // namespace codec
}  // namespace bz2napi
