// Joins bit strings into one byte stream: the stream header, the blocks
// compressed on separate threads (each starts at bit 0 of its own buffer, but
// follows the previous block at any bit in the stream), and the trailer.
#ifndef BZ2_NAPI_PARALLEL_BIT_JOINER_H_
#define BZ2_NAPI_PARALLEL_BIT_JOINER_H_

#include <cstddef>
#include <cstdint>

#include "bzip2/output_buffer.h"

namespace bz2napi {

class BitJoiner {
 public:
  // Never holds more than `limit` whole bytes (between Take calls).
  explicit BitJoiner(size_t limit) : limit_(limit) {}

  // Appends the first `bits` bits of `bytes`, most significant bit first.
  // Returns false if the whole bytes would pass the limit or memory ran out
  // (see out_of_memory()); the joiner is then unusable.
  bool Append(const uint8_t* bytes, uint64_t bits);
  // Pads the last byte with zero bits, as libbzip2 ends a stream.
  bool PadToByte();

  // The whole bytes so far; the bits of an unfinished byte stay.
  OutputBuffer TakeWholeBytes();
  bool out_of_memory() const { return out_.out_of_memory(); }

 private:
  bool Reserve(size_t bytes);

  size_t limit_;
  OutputBuffer out_;
  uint8_t partial_ = 0;  // the unfinished byte, its bits at the top
  unsigned partial_bits_ = 0;
};

}  // namespace bz2napi

#endif  // BZ2_NAPI_PARALLEL_BIT_JOINER_H_
