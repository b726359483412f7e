// One candidate block of a stream being decoded in parallel: the bits from a
// block magic found by MagicScanner to the next magic found after it, decoded
// on a libbzip2 stream of its own that starts at that bit (DecompressStream::
// InitAt) and is fed the input's own bytes, unchanged, up to the end of the
// next magic. It is a block, and the one the sequential decoder would read
// there, exactly when libbzip2 decodes it (every check it makes, its CRC
// included), then reads the next magic, and stops with its bit position just
// past that magic: the block's bits are then exactly [start_bit, next_bit).
//
// When the block is not done by then (the next magic occurred by chance
// inside it, or was forged), or its output reached the cap, the stream is
// kept as it stands: it has read nothing but the input's own bits from
// start_bit on, so it *is* the sequential decoder there, and the decoder
// carries on with it. Any other outcome (corrupt data, too little memory)
// rejects the job, and the decoder reads the block with libbzip2 itself.
#ifndef BZ2_NAPI_PARALLEL_BLOCK_JOB_H_
#define BZ2_NAPI_PARALLEL_BLOCK_JOB_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "bzip2/decompress_stream.h"
#include "bzip2/output_buffer.h"

namespace bz2napi {

// A piece of the input, copied in as it came. Pieces are shared with the jobs
// that read them, so a job never reads memory the decoder has let go.
struct InputChunk {
  uint64_t offset = 0;  // of bytes[0] in the input
  std::vector<uint8_t> bytes;
};

struct BlockJob {
  enum class Outcome {
    kPending,
    kBlock,      // decoded whole: `output`, `crc`
    kSuspended,  // `stream` goes on from byte `fed`, after `output`
    kRejected,   // corrupt, or no memory: decode it sequentially
  };

  // Set before the job is queued, read-only afterwards.
  uint64_t start_bit = 0;  // the block magic
  uint64_t next_bit = 0;   // the next magic
  int level = 9;           // of the stream's header, as far as the scan knows
  size_t cap = 0;          // the most output to make
  std::vector<std::shared_ptr<const InputChunk>> chunks;  // cover the bits

  // Written by the decoding thread, read once `outcome` is not kPending (under
  // the decoder's lock).
  Outcome outcome = Outcome::kPending;
  OutputBuffer output;
  uint32_t crc = 0;                          // kBlock: the block's CRC
  std::unique_ptr<DecompressStream> stream;  // kSuspended
  uint64_t fed = 0;                          // kSuspended: next byte to feed

  // Set by the decoder when it no longer wants the result (read without the
  // lock by the decoding thread, to stop early).
  std::atomic<bool> abandoned{false};
  // The bytes counted for this job in the decoder's total (under its lock).
  int64_t counted = 0;

  // The byte after the one holding the next magic's last bit.
  uint64_t end_byte() const { return (next_bit + 47) / 8 + 1; }

  // Decodes the candidate (on any thread): sets output, crc, stream and fed,
  // and returns the outcome (for the caller to publish under its lock).
  Outcome Decode();
  // The native bytes the job holds once decoded.
  int64_t held_bytes() const;
};

}  // namespace bz2napi

#endif  // BZ2_NAPI_PARALLEL_BLOCK_JOB_H_
