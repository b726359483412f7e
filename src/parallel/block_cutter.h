// libbzip2's rule for where a block ends, run ahead of compression so that the
// blocks can be compressed in parallel and still be exactly the blocks bzlib.c
// makes. Only the rule lives here: the run-length coding itself and the CRC are
// done per block, on the worker threads (block_encoder.cc).
#ifndef BZ2_NAPI_PARALLEL_BLOCK_CUTTER_H_
#define BZ2_NAPI_PARALLEL_BLOCK_CUTTER_H_

#include <cstddef>
#include <cstdint>

namespace bz2napi {

class BlockCutter {
 public:
  explicit BlockCutter(int level) : max_entries_(100000 * level - 19) {}

  // Reads bytes of `data` until bzlib.c would end the current block, and
  // returns how many it read. When it ends one, *cut is set and the block ends
  // just before the last byte read: that byte starts the run that bzlib.c
  // carries over into the next block.
  size_t Scan(const uint8_t* data, size_t length, bool* cut);

  // Whether any byte was read.
  bool started() const { return run_length_ != 0; }

 private:
  // bzlib.c's nblockMAX: a block ends once its entries reach this.
  const int32_t max_entries_;
  // Entries of the runs already in the block (bzlib.c's nblock); the pending
  // run is not counted, as in bzlib.c.
  int32_t entries_ = 0;
  uint32_t run_byte_ = 256;  // none yet
  uint32_t run_length_ = 0;
};

}  // namespace bz2napi

#endif  // BZ2_NAPI_PARALLEL_BLOCK_CUTTER_H_
