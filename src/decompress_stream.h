// RAII owner of one libbzip2 decompression stream (one .bz2 stream;
// concatenated streams need a new one each). Plain C++ (no Node-API), shared by
// the sync and async paths.
#ifndef BZ2_NAPI_DECOMPRESS_STREAM_H_
#define BZ2_NAPI_DECOMPRESS_STREAM_H_

#include <cstddef>
#include <cstdint>

#include "allocator.h"
#include "bzlib.h"
#include "output_buffer.h"
#include "stream_codes.h"

namespace bz2napi {

class DecompressStream {
 public:
  DecompressStream() = default;
  ~DecompressStream() { End(); }
  DecompressStream(const DecompressStream&) = delete;
  DecompressStream& operator=(const DecompressStream&) = delete;

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

  bool active() const { return active_; }
  // Whether libbzip2 holds decoded output that it has not delivered yet (the
  // last Run stopped at its limit inside a block).
  bool output_pending() const;
  // Native bytes held by libbzip2 (it allocates when it reads the stream
  // header).
  int64_t allocated_bytes() const { return allocator_.bytes(); }

 private:
  bz_stream strm_{};
  CountingAllocator allocator_;
  bool active_ = false;
};

}  // namespace bz2napi

#endif  // BZ2_NAPI_DECOMPRESS_STREAM_H_
