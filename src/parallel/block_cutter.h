// bzlib.c's first run-length stage and its rule for where a block ends, run
// ahead of compression so that the blocks can be compressed in parallel and
// still be exactly the blocks bzlib.c makes. A block is kept as bzlib.c keeps
// it, after the run-length stage (at most 100000 x level bytes, however long
// the runs of its input were), so blocks in flight hold bounded memory; the
// CRC, over the input bytes, is computed from them on the worker threads
// (block_encoder.cc).
#ifndef BZ2_NAPI_PARALLEL_BLOCK_CUTTER_H_
#define BZ2_NAPI_PARALLEL_BLOCK_CUTTER_H_

#include <cstddef>
#include <cstdint>
#include <memory>

namespace bz2napi {

// One block after the run-length stage: bzlib.c's `block` array, nblock long.
struct CutBlock {
  std::unique_ptr<uint8_t[]> entries;
  size_t length = 0;
};

class BlockCutter {
 public:
  explicit BlockCutter(int level)
      : max_entries_(100000 * level - 19),
        capacity_(100000 * static_cast<size_t>(level)) {}

  // Reads bytes of `data` until bzlib.c would end the current block, and
  // returns how many it read. When it ends one, the block goes to *done
  // (entries set) and the last byte read starts the run that bzlib.c carries
  // over into the next block. Throws std::bad_alloc if a block's array cannot
  // be had (the cutter is then unusable).
  size_t Scan(const uint8_t* data, size_t length, CutBlock* done);

  // Ends the input: the pending run goes into the last block, which is
  // returned (with no entries if no byte was ever read: a cut always leaves a
  // run pending).
  CutBlock Finish();

  // The most entries a block can have: a run of 5 added to a block one short
  // of bzlib.c's nblockMAX.
  static size_t MaxEntries(int level) {
    return 100000 * static_cast<size_t>(level) - 19 + 4;
  }

 private:
  void Start();  // a new block's array

  // bzlib.c's nblockMAX: a block ends once its entries reach this.
  const int32_t max_entries_;
  const size_t capacity_;  // bzlib.c's array: nblockMAX + 19
  std::unique_ptr<uint8_t[]> block_;
  // Entries of the runs already in the block (bzlib.c's nblock); the pending
  // run is not counted, as in bzlib.c.
  int32_t entries_ = 0;
  uint32_t run_byte_ = 256;  // none yet
  uint32_t run_length_ = 0;
};

}  // namespace bz2napi

#endif  // BZ2_NAPI_PARALLEL_BLOCK_CUTTER_H_
