// RAII owner of one libbzip2 compression stream. Plain C++ (no Node-API) so
// that the same code serves the synchronous calls on the main thread and
// asynchronous work on other threads.
#ifndef BZ2_NAPI_BZIP2_COMPRESS_STREAM_H_
#define BZ2_NAPI_BZIP2_COMPRESS_STREAM_H_

#include <cstddef>
#include <cstdint>

#include "bzip2/output_buffer.h"
#include "bzip2/status_codes.h"
#include "bzip2/stream_base.h"
#include "bzlib.h"

namespace bz2napi {

class CompressStream : public StreamBase {
 public:
  CompressStream() = default;
  ~CompressStream() { End(); }

  // BZ2_bzCompressInit with workFactor 0 (libbzip2's default, 30, as bzip2 and
  // Python use). Returns BZ_OK or a libbzip2 error code; on error the stream
  // stays unusable.
  int Init(int level);

  // Feeds `len` bytes with BZ_RUN, appending whatever libbzip2 emits to `out`.
  // Input is read in place, in slices that fit libbzip2's 32-bit counters.
  // `out` never grows past `limit` bytes. Returns BZ_RUN_OK, a libbzip2 error
  // code, or kOutputLimit (the stream is then unusable).
  int Compress(const uint8_t* in, size_t len, OutputBuffer* out, size_t limit);

  // Finishes the stream with BZ_FINISH, appending the rest of the output.
  // Returns BZ_STREAM_END, a libbzip2 error code or kOutputLimit.
  int Finish(OutputBuffer* out, size_t limit);

  // Frees libbzip2's state. Idempotent.
  void End();

 private:
  int Run(const uint8_t* in,
          size_t len,
          int action,
          OutputBuffer* out,
          size_t limit);
};

}  // namespace bz2napi

#endif  // BZ2_NAPI_BZIP2_COMPRESS_STREAM_H_
