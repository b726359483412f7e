// Finds, in compressed input fed in pieces, every bit position where a bzip2
// block magic (0x314159265359) or end-of-stream magic (0x177245385090) begins.
// Blocks are not byte-aligned, so both can start at any bit. The positions
// are only candidates: the magic can occur by chance inside a block's bits (or
// be forged), so the parallel decoder proves each one before it counts.
//
// Every byte is read once: a 64 K-entry table keyed on two bytes that lie
// inside a magic at any of its 8 shifts tells which (magic, shift) pairs can
// start in the byte before them, and only those are checked in full.
#ifndef BZ2_NAPI_PARALLEL_MAGIC_SCANNER_H_
#define BZ2_NAPI_PARALLEL_MAGIC_SCANNER_H_

#include <cstddef>
#include <cstdint>
#include <vector>

namespace bz2napi {

struct Magic {
  uint64_t bit;  // absolute bit offset in the input, from its first byte
  bool end;      // end-of-stream magic (else block magic)
};

class MagicScanner {
 public:
  static constexpr uint64_t kBlockMagic = 0x314159265359ULL;
  static constexpr uint64_t kEndMagic = 0x177245385090ULL;

  // Scans the next `length` bytes of the input, appending the magics that
  // begin at least 7 bytes before the input's end so far (the rest wait for
  // the next piece). A magic at shift 0 that ends in the input's last 6 bytes
  // is never reported: the caller treats a missing candidate as "decode this
  // sequentially", so a miss costs speed, never correctness.
  void Feed(const uint8_t* data, size_t length, std::vector<Magic>* found);

 private:
  // Checks the magics that may begin in byte `at` (7 bytes readable there),
  // byte `offset` of the input.
  static void Check(const uint8_t* at,
                    uint64_t offset,
                    std::vector<Magic>* found);

  uint8_t tail_[32];  // bytes whose windows were not complete yet
  size_t tail_length_ = 0;
  uint64_t tail_offset_ = 0;  // input offset of tail_[0]
};

}  // namespace bz2napi

#endif  // BZ2_NAPI_PARALLEL_MAGIC_SCANNER_H_
