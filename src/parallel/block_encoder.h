// Compresses one block into a bit string of its own that starts at bit 0 and
// has neither stream header nor trailer, so that blocks compressed on
// different threads can be joined: from the block as BlockCutter keeps it
// (after the first run-length stage), the CRC, then the codec's rotation sort
// (BZ2_blockSort, through bzlib_private.h, for a periodic block) in a private
// EState's arrays, then the codec's BlockWriter, which writes what
// BZ2_compressBlock would.
#ifndef BZ2_NAPI_PARALLEL_BLOCK_ENCODER_H_
#define BZ2_NAPI_PARALLEL_BLOCK_ENCODER_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "codec/block_writer.h"
#include "codec/stage_times.h"

namespace bz2napi {

struct EncodedBlock {
  std::vector<uint8_t> bytes;  // `bits` bits, most significant first
  uint64_t bits = 0;
  uint32_t crc = 0;  // the block CRC, over exactly the input bytes of the block
};

class BlockEncoder {
 public:
  BlockEncoder() = default;
  ~BlockEncoder();
  BlockEncoder(const BlockEncoder&) = delete;
  BlockEncoder& operator=(const BlockEncoder&) = delete;

  enum class Result {
    kOk,
    kOutOfMemory,
    // The entries do not fit one block at `level`. Never for a block
    // BlockCutter cut; checked, since too long a block would overrun
    // libbzip2's arrays.
    kNotOneBlock,
  };

  // Compresses one whole block, its `length` entries as BlockCutter keeps
  // them, as bzlib.c would.
  Result Encode(int level,
                const uint8_t* entries,
                size_t length,
                EncodedBlock* out);

  // The memory Encode allocates for `level` (7.6 MB at level 9): libbzip2's
  // arrays, in which our sort works too.
  static size_t Bytes(int level);

  // For the benchmark's profile: compresses the block as Encode does and as
  // libbzip2's BZ2_compressBlock does, adds the time of each stage to
  // `libbzip2` (whose MTF and Huffman stages are timed together, into mtf)
  // and `ours`, and clears *same unless the two agree bit for bit.
  Result Profile(int level,
                 const uint8_t* entries,
                 size_t length,
                 EncodedBlock* out,
                 codec::StageTimes* libbzip2,
                 codec::StageTimes* ours,
                 bool* same);

  // Frees the work arrays; the next Encode allocates them again.
  void Free();

 private:
  bool Reserve(int level);
  // The entries into the EState's block, and their CRC.
  Result Prepare(int level,
                 const uint8_t* entries,
                 size_t length,
                 uint32_t* block_crc);
  // The sort and the writer, on the prepared block.
  Result Finish(uint32_t crc, EncodedBlock* out, codec::StageTimes* times);

  // bzlib.c's EState, its three work arrays sized for level_.
  void* state_ = nullptr;
  int level_ = 0;
  codec::BlockWriter writer_;
};

}  // namespace bz2napi

#endif  // BZ2_NAPI_PARALLEL_BLOCK_ENCODER_H_
