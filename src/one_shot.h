// Whole-buffer compression and decompression (compressSync / decompressSync and
// their async twins): plain C++, no Node-API, so the same code can run on any
// thread.
#ifndef BZ2_NAPI_ONE_SHOT_H_
#define BZ2_NAPI_ONE_SHOT_H_

#include <cstddef>
#include <cstdint>

#include "output_buffer.h"

namespace bz2napi {

// Compresses in[0, len) at `level` into one bzip2 stream, exactly as
// BZ2Compressor would: all input with BZ_RUN, then BZ_FINISH. (Finishing from
// the first call, as BZ2_bzBuffToBuffCompress does, gives other bytes when the
// input ends just as a block fills.) Returns BZ_STREAM_END or a libbzip2 error
// code.
int CompressAll(const uint8_t* in, size_t len, int level, OutputBuffer* out);

enum class DecompressStatus {
  kOk,
  kData,       // the first stream is not valid bzip2 data
  kTruncated,  // the input ends inside a stream
  kTooLarge,   // the output would exceed the limit
  kMemory,     // allocation failed
  kInternal,   // libbzip2 misbehaved (see `bzret`)
};

struct DecompressResult {
  DecompressStatus status;
  int bzret;  // the libbzip2 code behind kData / kMemory / kInternal
};

// Decompresses concatenated bzip2 streams with CPython's bz2.decompress rules:
// empty input gives empty output; after at least one complete stream, input
// that is not valid bzip2 data is ignored, but input that starts a stream and
// then ends is a truncation. `out` never grows past limit + 1 bytes.
DecompressResult DecompressAll(const uint8_t* in,
                               size_t len,
                               size_t limit,
                               OutputBuffer* out);

}  // namespace bz2napi

#endif  // BZ2_NAPI_ONE_SHOT_H_
