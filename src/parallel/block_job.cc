#include "parallel/block_job.h"

#include <algorithm>
#include <new>

#include "bzlib.h"

namespace bz2napi {

BlockJob::Outcome BlockJob::Decode() {
  const uint64_t first = start_bit / 8;
  const uint64_t end = end_byte();
  // The chunks cover [first, end): find the byte that holds start_bit.
  size_t c = 0;
  while (c < chunks.size() &&
         chunks[c]->offset + chunks[c]->bytes.size() <= first)
    ++c;
  if (c == chunks.size())
    return Outcome::kRejected;
  stream.reset(new (std::nothrow) DecompressStream());
  if (!stream)
    return Outcome::kRejected;
  const int skip = static_cast<int>(start_bit % 8);
  if (stream->InitAt(level, chunks[c]->bytes[first - chunks[c]->offset],
                     8 - skip, 0) != BZ_OK) {
    stream.reset();
    return Outcome::kRejected;
  }
  fed = first + 1;
  for (; c < chunks.size() && fed < end; ++c) {
    const InputChunk& chunk = *chunks[c];
    const uint64_t stop =
        std::min<uint64_t>(end, chunk.offset + chunk.bytes.size());
    while (fed < stop) {
      if (abandoned.load(std::memory_order_relaxed)) {
        stream.reset();
        return Outcome::kRejected;
      }
      size_t used = 0;
      const int ret =
          stream->Run(chunk.bytes.data() + (fed - chunk.offset),
                      static_cast<size_t>(stop - fed), &used, &output, cap);
      fed += used;
      if (ret != BZ_OK) {
        // An error (libbzip2 will find it again, with the output it makes
        // before it), or a stream end, which cannot come before the end
        // magic's CRC, never fed.
        stream.reset();
        return Outcome::kRejected;
      }
      if (fed < stop)
        return Outcome::kSuspended;  // stopped at the cap with input left
    }
  }
  // Bits read since start_bit: the 8 - skip put in the bit buffer, then whole
  // bytes, less what is still buffered. At a block's end they end just past
  // the magic at next_bit.
  const uint64_t read = (8 - skip) + 8 * (fed - first - 1) -
                        static_cast<uint64_t>(stream->buffered_bits());
  if (fed != end || stream->boundary() == DecompressStream::Boundary::kNone ||
      start_bit + read != next_bit + 48)
    return Outcome::kSuspended;
  // The stream started with a combined CRC of 0, so after one block it is
  // that block's CRC (checked by libbzip2 against the stored one).
  crc = stream->combined_crc();
  stream.reset();
  return Outcome::kBlock;
}

int64_t BlockJob::held_bytes() const {
  return static_cast<int64_t>(output.capacity()) +
         (stream ? stream->allocated_bytes() : 0);
}

}  // namespace bz2napi
