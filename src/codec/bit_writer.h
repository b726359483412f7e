// Bits written most significant first, as bzip2 streams are, into a buffer
// sized up front: a 64-bit accumulator that stores four whole bytes at a time
// (libbzip2's bsW tests and stores byte by byte on every call).
#ifndef BZ2_NAPI_CODEC_BIT_WRITER_H_
#define BZ2_NAPI_CODEC_BIT_WRITER_H_

#include <cstddef>
#include <cstdint>

namespace bz2napi {
namespace codec {

class BitWriter {
 public:
  // Writes into `out`, which has room for `capacity` bytes. The caller sizes
  // it for the most its data can take (BlockWriter::MaxBytes).
  BitWriter(uint8_t* out, size_t capacity) : out_(out), capacity_(capacity) {}

  // Appends the low `count` bits of `value` (count 1..24; `value` has no
  // higher bits set).
  void Put(int count, uint32_t value) {
    acc_ = (acc_ << count) | value;
    pending_ += count;
    if (pending_ >= 32) {
      pending_ -= 32;
      const uint32_t word = static_cast<uint32_t>(acc_ >> pending_);
      if (size_ + 4 <= capacity_) {
        out_[size_] = static_cast<uint8_t>(word >> 24);
        out_[size_ + 1] = static_cast<uint8_t>(word >> 16);
        out_[size_ + 2] = static_cast<uint8_t>(word >> 8);
        out_[size_ + 3] = static_cast<uint8_t>(word);
      }
      size_ += 4;
    }
  }

  void Put32(uint32_t value) {
    Put(16, value >> 16);
    Put(16, value & 0xffff);
  }

  // Stores the bits still pending, padded with zeros to a whole byte, and
  // returns how many bits were written in all (before that padding). Nothing
  // may be put afterwards.
  uint64_t Finish() {
    const uint64_t bits = static_cast<uint64_t>(size_) * 8 + pending_;
    for (int left = pending_; left > 0; left -= 8) {
      const uint8_t byte = static_cast<uint8_t>(left >= 8 ? acc_ >> (left - 8)
                                                          : acc_ << (8 - left));
      if (size_ < capacity_)
        out_[size_] = byte;
      ++size_;
    }
    pending_ = 0;
    return bits;
  }

  // False if more bytes were written than the buffer holds (a sizing bug:
  // those bytes were dropped, never written past the end).
  bool fits() const { return size_ <= capacity_; }

 private:
  uint8_t* out_;
  size_t capacity_;
  size_t size_ = 0;   // whole bytes stored
  uint64_t acc_ = 0;  // the low `pending_` bits are not stored yet
  int pending_ = 0;
};

}  // namespace codec
}  // namespace bz2napi

#endif  // BZ2_NAPI_CODEC_BIT_WRITER_H_
