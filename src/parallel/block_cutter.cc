#include "parallel/block_cutter.h"

#include <cstring>

namespace bz2napi {

namespace {

// Entries a finished run adds to a block in bzlib.c's add_pair_to_block: runs
// of 1 to 3 bytes as they are, longer ones as 4 bytes and a count.
inline int32_t RunEntries(uint32_t length) {
  return length <= 3 ? static_cast<int32_t>(length) : 5;
}

constexpr uint64_t kOnes = 0x0101010101010101ULL;
constexpr uint64_t kHighs = 0x8080808080808080ULL;

inline uint64_t Load(const uint8_t* at) {
  uint64_t word;
  std::memcpy(&word, at, sizeof word);
  return word;
}

// Whether no run of 4 equal bytes ends in the `words` words at `at`, looking
// back 3 bytes before it (at[-3] must be readable). Byte k of `same` is zero
// exactly when byte k equals the 3 before it; the test for a zero byte is
// exact for "any".
inline bool NoRunOfFour(const uint8_t* at, size_t words) {
  uint64_t found = 0;
  for (size_t w = 0; w < words; ++w, at += 8) {
    const uint64_t word = Load(at);
    const uint64_t same =
        (word ^ Load(at - 1)) | (word ^ Load(at - 2)) | (word ^ Load(at - 3));
    found |= (same - kOnes) & ~same & kHighs;
  }
  return found == 0;
}

// Length of the run that ends at `last` (at least 1), when it is at most 3.
inline uint32_t TrailingRun(const uint8_t* last) {
  if (last[0] != last[-1])
    return 1;
  return last[-1] != last[-2] ? 2 : 3;
}

}  // namespace

// The main thread runs this over every input byte before any block can start
// (a step of lib/'s async loop cuts about a block), so it reads a word at a
// time where it can: while every run stays shorter than 4 bytes, each byte
// adds exactly one entry, counting the pending run's bytes as if it ended.
size_t BlockCutter::Scan(const uint8_t* data, size_t length, bool* cut) {
  *cut = false;
  uint32_t run_byte = run_byte_;
  uint32_t run_length = run_length_;
  int32_t entries = entries_;
  size_t i = 0;
  while (i < length) {
    // Bytes that cannot end a run of 4 and cannot find the block full each
    // add one entry: the counted bytes (entries + run_length) grow by the
    // stride, and a byte starting a run sees at most counted + stride - 1.
    const int32_t counted = entries + static_cast<int32_t>(run_length);
    if (i >= 3 && run_length <= 3) {
      size_t stride = 0;
      if (length - i >= 32 && counted + 31 < max_entries_ &&
          NoRunOfFour(data + i, 4)) {
        stride = 32;
      } else if (length - i >= 8 && counted + 7 < max_entries_ &&
                 NoRunOfFour(data + i, 1)) {
        stride = 8;
      }
      if (stride != 0) {
        i += stride;
        run_byte = data[i - 1];
        run_length = TrailingRun(data + i - 1);
        entries = counted + static_cast<int32_t>(stride - run_length);
        continue;
      }
    }
    // Inside a long run, a word of the run's byte only lengthens it.
    if (run_length >= 3 && run_length <= 255 - 8 && length - i >= 8 &&
        Load(data + i) == kOnes * run_byte) {
      run_length += 8;
      i += 8;
      continue;
    }
    // Byte by byte, as bzlib.c counts, up to the next word.
    const size_t stop = length - i < 8 ? length : i + 8;
    while (i < stop) {
      const uint32_t byte = data[i++];
      if (byte == run_byte && run_length < 255) {
        ++run_length;
        continue;
      }
      // A new run starts: the previous one goes into the block
      // (ADD_CHAR_TO_BLOCK and add_pair_to_block). Only then can the block
      // have filled, and bzlib.c checks before the next byte, leaving this new
      // run pending.
      entries += RunEntries(run_length);
      run_byte = byte;
      run_length = 1;
      if (entries >= max_entries_) {
        entries = 0;
        *cut = true;
        run_byte_ = run_byte;
        run_length_ = run_length;
        entries_ = entries;
        return i;
      }
    }
  }
  run_byte_ = run_byte;
  run_length_ = run_length;
  entries_ = entries;
  return i;
}

}  // namespace bz2napi
