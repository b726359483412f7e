// The sorted rotations of a block, as libbzip2's BZ2_blockSort orders them,
// by a suffix sort: the block is rotated to its least rotation, which for a
// block that is not a power of a shorter string (u^k, k >= 2) is a Lyndon
// word, whose rotations sort as its suffixes do. All rotations then differ,
// so their order is unique and BZ2_blockSort's main and fallback sorts give
// exactly this one. A periodic block has equal rotations, which libbzip2
// orders in no simple way: those are declined, for BZ2_blockSort itself.
#ifndef BZ2_NAPI_CODEC_ROTATION_SORT_H_
#define BZ2_NAPI_CODEC_ROTATION_SORT_H_

#include <cstddef>
#include <cstdint>

namespace bz2napi {
namespace codec {

// Where the least rotation starts (the first such, for a periodic block),
// and whether the block is periodic. `doubled` holds the block twice over,
// 2 n bytes.
struct LeastRotation {
  int32_t start = 0;
  bool periodic = false;
};
LeastRotation FindLeastRotation(const uint8_t* doubled, int32_t n);

enum class RotationSort {
  kSorted,
  kPeriodic,     // declined: sort it with BZ2_blockSort
  kOutOfMemory,  // the work area is too small (cannot happen in BlockEncoder)
};

// Sorts the rotations of block[0, n) by sorting those of its least
// rotation, which the sort writes into the area after the block and returns:
// ptr[k] is where the k-th smallest rotation of that text starts, *orig_ptr
// the rank of the block's rotation 0. The same rotations in the same order,
// so the same last column: BlockWriter may be given that text and ptr for the
// block's, and reads the text in cache. The area holds the block at its start
// and has `area_bytes`; libbzip2's arr2, which holds the block, is large
// enough (4 n + 136 bytes, where 2.5 n + 8 are needed). The text stays valid
// until the area is written to.
RotationSort SortRotations(uint8_t* block,
                           int32_t n,
                           size_t area_bytes,
                           uint32_t* ptr,
                           int32_t* orig_ptr,
                           const uint8_t** text);

}  // namespace codec
}  // namespace bz2napi

#endif  // BZ2_NAPI_CODEC_ROTATION_SORT_H_
