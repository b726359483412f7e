#include "parallel/block_cutter.h"

namespace bz2napi {

namespace {

// Entries a finished run adds to a block in bzlib.c's add_pair_to_block: runs
// of 1 to 3 bytes as they are, longer ones as 4 bytes and a count.
inline int32_t RunEntries(uint32_t length) {
  return length <= 3 ? static_cast<int32_t>(length) : 5;
}

}  // namespace

size_t BlockCutter::Scan(const uint8_t* data, size_t length, bool* cut) {
  *cut = false;
  uint32_t run_byte = run_byte_;
  uint32_t run_length = run_length_;
  int32_t entries = entries_;
  size_t i = 0;
  while (i < length) {
    const uint32_t byte = data[i++];
    if (byte == run_byte && run_length < 255) {
      ++run_length;
      continue;
    }
    // A new run starts: the previous one goes into the block (ADD_CHAR_TO_BLOCK
    // and add_pair_to_block). Only then can the block have filled, and bzlib.c
    // checks before the next byte, leaving this new run pending.
    entries += RunEntries(run_length);
    run_byte = byte;
    run_length = 1;
    if (entries >= max_entries_) {
      entries = 0;
      *cut = true;
      break;
    }
  }
  run_byte_ = run_byte;
  run_length_ = run_length;
  entries_ = entries;
  return i;
}

}  // namespace bz2napi
