// RAII owner of one libbzip2 decompression stream (one .bz2 stream;
// concatenated streams need a new one each). Plain C++ (no Node-API), shared by
// the sync and async paths.
#ifndef BZ2_NAPI_BZIP2_DECOMPRESS_STREAM_H_
#define BZ2_NAPI_BZIP2_DECOMPRESS_STREAM_H_

#include <cstddef>
#include <cstdint>

#include "bzip2/output_buffer.h"
#include "bzip2/status_codes.h"
#include "bzip2/stream_base.h"
#include "bzlib.h"

namespace bz2napi {

class DecompressStream : public StreamBase {
 public:
  DecompressStream() = default;
  ~DecompressStream() { End(); }

  // BZ2_bzDecompressInit (fast mode). Returns BZ_OK or a libbzip2 error code.
  int Init();

  // Starts the stream in the middle of one, where a block magic or an
  // end-of-stream magic is due that begins with the last `bits` (0..8) bits
  // of `byte` (none: with the next byte fed): as if a header of `level`
  // (1..9) had been read and then the blocks whose CRCs fold to
  // `combined_crc`. The caller then feeds the bytes after `byte`, unchanged.
  // libbzip2 reads bits only from its bit buffer and next_in, so a header fed
  // to it and those bits put in that buffer make it read the stream from that
  // bit on exactly as it would in place, with every check it makes there.
  // Returns BZ_OK or a libbzip2 error code (the stream then stays closed).
  int InitAt(int level, uint8_t byte, int bits, uint32_t combined_crc);

  // Where the last Run stopped, when it stopped for want of input: just after
  // a block magic, or just after an end-of-stream magic, before the CRC that
  // follows either; else kNone.
  enum class Boundary { kNone, kBlock, kEnd };
  Boundary boundary() const;
  // Bits read from the input into libbzip2's bit buffer and not used yet.
  int buffered_bits() const;
  // The CRCs of the blocks ended so far, folded as the stream CRC is, and
  // replacing that value (for a stream that goes on from another's blocks).
  uint32_t combined_crc() const;
  void set_combined_crc(uint32_t crc);
  // The blocks whose output is complete and checked.
  int completed_blocks() const;

  // Decompresses from in[0, len), appending to `out`, until the stream ends
  // (BZ_STREAM_END), or all input is used and no output is pending (BZ_OK), or
  // `out` holds `limit` bytes (BZ_OK with out->size() == limit; more output may
  // be pending). libbzip2 runs at least once, even for a limit of 0.
  // `*consumed` is set to the number of input bytes used. Returns a negative
  // libbzip2 code or kNoProgress on failure, after which the stream is
  // unusable.
  int Run(const uint8_t* in,
          size_t len,
          size_t* consumed,
          OutputBuffer* out,
          size_t limit);

  // Frees libbzip2's state. Idempotent.
  void End();

  // Whether libbzip2 holds decoded output that it has not delivered yet (the
  // last Run stopped at its limit inside a block).
  bool output_pending() const;
};

}  // namespace bz2napi

#endif  // BZ2_NAPI_BZIP2_DECOMPRESS_STREAM_H_
