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
