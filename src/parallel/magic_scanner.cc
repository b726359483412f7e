#include "parallel/magic_scanner.h"

#include <algorithm>
#include <array>
#include <cstring>

namespace bz2napi {

namespace {

constexpr uint64_t kMask48 = (uint64_t{1} << 48) - 1;

// For each value of the two bytes after a candidate's first byte, a bit per
// (magic, shift): bit k for a block magic at shift k, bit 8 + k for an
// end-of-stream magic. Bytes 1 and 2 after the first byte lie wholly inside a
// 48-bit magic that starts at any of the 8 bit shifts of that first byte.
struct Filter {
  std::array<uint16_t, 65536> table{};
  Filter() {
    for (int k = 0; k < 8; ++k) {
      // The magic occupies bits [k, k + 48) of a 56-bit window of 7 bytes;
      // bytes 1-2 are window bits [8, 24), i.e. magic bits [8 - k, 24 - k).
      const int shift = 48 - (24 - k);
      table[(MagicScanner::kBlockMagic >> shift) & 0xFFFF] |= 1u << k;
      table[(MagicScanner::kEndMagic >> shift) & 0xFFFF] |= 1u << (8 + k);
    }
  }
};

const Filter& TheFilter() {
  static const Filter filter;
  return filter;
}

uint64_t Load56(const uint8_t* p) {
  uint64_t w = 0;
  for (int i = 0; i < 7; ++i)
    w = (w << 8) | p[i];
  return w;
}

}  // namespace

void MagicScanner::Check(const uint8_t* at,
                         uint64_t offset,
                         std::vector<Magic>* found) {
  unsigned bits = TheFilter().table[(unsigned{at[1]} << 8) | at[2]];
  if (bits == 0)
    return;
  const uint64_t window = Load56(at);
  for (int k = 0; k < 8; ++k) {
    const uint64_t value = (window >> (8 - k)) & kMask48;
    if ((bits >> k) & 1 && value == kBlockMagic)
      found->push_back({offset * 8 + k, false});
    if ((bits >> (8 + k)) & 1 && value == kEndMagic)
      found->push_back({offset * 8 + k, true});
  }
}

void MagicScanner::Feed(const uint8_t* data,
                        size_t length,
                        std::vector<Magic>* found) {
  const auto& table = TheFilter().table;
  // The positions held over from earlier pieces, completed with this one's
  // first bytes.
  uint8_t seam[sizeof tail_ + 6];
  const size_t held = tail_length_;
  const size_t head = std::min<size_t>(length, 6);
  std::memcpy(seam, tail_, held);
  std::memcpy(seam + held, data, head);
  size_t j = 0;
  for (; j < held && j + 7 <= held + head; ++j)
    Check(seam + j, tail_offset_ + j, found);
  if (j < held) {
    // This piece is too short to complete them: keep them, with it.
    tail_length_ = held + head - j;
    std::memmove(tail_, seam + j, tail_length_);
    tail_offset_ += j;
    return;
  }
  const uint64_t base = tail_offset_ + held;
  size_t i = 0;
  if (length >= 7) {
    for (; i + 7 <= length; ++i) {
      if (table[(unsigned{data[i + 1]} << 8) | data[i + 2]] != 0)
        Check(data + i, base + i, found);
    }
  }
  tail_length_ = length - i;  // at most 6
  std::memcpy(tail_, data + i, tail_length_);
  tail_offset_ = base + i;
}

}  // namespace bz2napi
