// Everything BZ2_compressBlock (compress.c) writes for one block once its
// rotations are sorted, bit for bit: the block header, the move-to-front and
// zero-run stage, the choice and four refinements of up to six Huffman tables,
// the selectors, the tables and the coded symbols. Written anew for speed;
// the Huffman code lengths and codes come from libbzip2's own
// BZ2_hbMakeCodeLengths and BZ2_hbAssignCodes (exported through
// bzlib_private.h), so the tables are libbzip2's by construction.
#ifndef BZ2_NAPI_CODEC_BLOCK_WRITER_H_
#define BZ2_NAPI_CODEC_BLOCK_WRITER_H_

#include <cstddef>
#include <cstdint>

#include "codec/bit_writer.h"
#include "codec/stage_times.h"

namespace bz2napi {
namespace codec {

struct SortedBlock {
  // The block after the first run-length stage, or any rotation of it with
  // ptr in its coordinates (the same rotations have the same last column).
  const uint8_t* data = nullptr;
  int32_t length = 0;  // entries in data, 1..900,000
  // The sorted rotations: ptr[k] is where the k-th smallest one starts. The
  // writer overwrites it (its memory holds the 16-bit MTF values afterwards,
  // as libbzip2's arr1 does), so no second block-sized array is needed.
  uint32_t* ptr = nullptr;
  int32_t orig_ptr = 0;  // the rank of rotation 0
  uint32_t crc = 0;      // the block CRC, finalised
};

class BlockWriter {
 public:
  // The most bytes Write may write for a block of `length` entries.
  static size_t MaxBytes(int32_t length);

  // Writes `block` from its 48-bit magic to its last coded symbol. False,
  // with nothing written, when its tables' memory cannot be had or the block
  // is not 1 to 900,000 entries long. With `times`, adds the time of its
  // two stages there.
  bool Write(const SortedBlock& block,
             BitWriter* out,
             StageTimes* times = nullptr);

  // What the coding learns about one block (about 50 kB: kept here rather
  // than on a pool thread's stack, allocated at the first Write).
  struct Coding;

  BlockWriter() = default;
  ~BlockWriter();
  BlockWriter(const BlockWriter&) = delete;
  BlockWriter& operator=(const BlockWriter&) = delete;

 private:
  Coding* coding_ = nullptr;
};

}  // namespace codec
}  // namespace bz2napi

#endif  // BZ2_NAPI_CODEC_BLOCK_WRITER_H_
