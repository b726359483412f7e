#include "parallel/block_cutter.h"

#include <cstring>

namespace bz2napi {

namespace {

// A finished run into the block at `at`, as bzlib.c's add_pair_to_block
// writes it: 1 to 3 bytes as they are, longer ones as 4 bytes and a count.
// Returns the entries written.
inline int32_t PutRun(uint8_t* at, uint32_t byte, uint32_t length) {
  const auto value = static_cast<uint8_t>(byte);
  if (length <= 3) {
    for (uint32_t k = 0; k < length; ++k)
      at[k] = value;
    return static_cast<int32_t>(length);
  }
  at[0] = at[1] = at[2] = at[3] = value;
  at[4] = static_cast<uint8_t>(length - 4);
  return 5;
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

void BlockCutter::Start() {
  block_.reset(new uint8_t[capacity_]);
}

// The main thread runs this over every input byte before any block can start
// (a step of lib/'s async loop cuts about a block), so it reads a word at a
// time where it can: while every run stays shorter than 4 bytes, each byte
// adds exactly one entry, itself, counting the pending run's bytes as if it
// ended. Each input byte is read once, and every decision is made on what was
// read (a stride is judged in the block, after it was copied there), so if
// another thread rewrites the input meanwhile (shared memory), the block is
// still exactly bzlib.c's for some bytes of it.
size_t BlockCutter::Scan(const uint8_t* data, size_t length, CutBlock* done) {
  if (!block_)
    Start();
  uint8_t* const out = block_.get();
  uint32_t run_byte = run_byte_;
  uint32_t run_length = run_length_;
  int32_t entries = entries_;
  size_t i = 0;
  while (i < length) {
    // Bytes that cannot end a run of 4 and cannot find the block full each
    // add one entry: the counted bytes (entries + run_length) grow by the
    // stride, and a byte starting a run sees at most counted + stride - 1.
    const int32_t counted = entries + static_cast<int32_t>(run_length);
    if (counted >= 3 && run_length <= 3 && length - i >= 8 &&
        counted + 7 < max_entries_) {
      // The pending run and the stride, copied where they would go as they
      // are. A run of 4 can only end in the stride if it starts in the
      // pending run or later (a run split at 255 starts afresh), so looking
      // back 3 entries (past the pending run: earlier runs, which differ or
      // were split, and counts) finds every one, and only sometimes one that
      // is not there, which the slow path below then reads right.
      uint8_t* const at = out + counted;
      PutRun(out + entries, run_byte, run_length);
      size_t stride = length - i >= 32 && counted + 31 < max_entries_ ? 32 : 8;
      std::memcpy(at, data + i, stride);
      bool clear = stride == 32 && NoRunOfFour(at, 4);
      if (!clear) {
        stride = 8;
        clear = NoRunOfFour(at, 1);
      }
      if (clear) {
        // All of it goes in but the stride's last run, which stays pending.
        const uint32_t trailing = TrailingRun(at + stride - 1);
        entries = counted + static_cast<int32_t>(stride - trailing);
        run_byte = at[stride - 1];
        run_length = trailing;
        i += stride;
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
      entries += PutRun(out + entries, run_byte, run_length);
      run_byte = byte;
      run_length = 1;
      if (entries >= max_entries_) {
        done->entries = std::move(block_);
        done->length = static_cast<size_t>(entries);
        run_byte_ = run_byte;
        run_length_ = run_length;
        entries_ = 0;
        return i;
      }
    }
  }
  run_byte_ = run_byte;
  run_length_ = run_length;
  entries_ = entries;
  return i;
}

CutBlock BlockCutter::Finish() {
  CutBlock last;
  if (run_length_ == 0)
    return last;
  if (!block_)
    Start();
  entries_ += PutRun(block_.get() + entries_, run_byte_, run_length_);
  last.entries = std::move(block_);
  last.length = static_cast<size_t>(entries_);
  entries_ = 0;
  run_byte_ = 256;
  run_length_ = 0;
  return last;
}

}  // namespace bz2napi
