#include "parallel/bit_joiner.h"

#include <cstring>
#include <utility>

namespace bz2napi {

bool BitJoiner::Reserve(size_t bytes) {
  while (out_.free_bytes() < bytes) {
    if (!out_.Grow(limit_))
      return false;
  }
  return true;
}

bool BitJoiner::Append(const uint8_t* bytes, uint64_t bits) {
  const size_t whole = static_cast<size_t>(bits / 8);
  const unsigned rest = static_cast<unsigned>(bits % 8);
  if (!Reserve(whole + 1))
    return false;
  uint8_t* to = out_.free_space();
  const unsigned shift = partial_bits_;
  if (shift == 0) {
    std::memcpy(to, bytes, whole);
  } else {
    // Every byte straddles two output bytes.
    uint8_t carry = partial_;
    for (size_t i = 0; i < whole; ++i) {
      to[i] = static_cast<uint8_t>(carry | (bytes[i] >> shift));
      carry = static_cast<uint8_t>(bytes[i] << (8 - shift));
    }
    partial_ = carry;
  }
  out_.Commit(whole);
  if (rest != 0) {
    // The top `rest` bits of the last byte, after the `shift` bits pending.
    const uint8_t last = static_cast<uint8_t>(bytes[whole] & (0xff00u >> rest));
    unsigned acc = (static_cast<unsigned>(partial_) << 8) |
                   (static_cast<unsigned>(last) << (8 - shift));
    unsigned total = shift + rest;
    if (total >= 8) {
      *out_.free_space() = static_cast<uint8_t>(acc >> 8);
      out_.Commit(1);
      acc <<= 8;
      total -= 8;
    }
    partial_ = static_cast<uint8_t>(acc >> 8);
    partial_bits_ = total;
  }
  return true;
}

bool BitJoiner::PadToByte() {
  if (partial_bits_ == 0)
    return true;
  if (!Reserve(1))
    return false;
  *out_.free_space() = partial_;
  out_.Commit(1);
  partial_ = 0;
  partial_bits_ = 0;
  return true;
}

OutputBuffer BitJoiner::TakeWholeBytes() {
  return std::exchange(out_, OutputBuffer());
}

}  // namespace bz2napi
