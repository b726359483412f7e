// What every decoder of concatenated bzip2 streams offers the class above it
// (decompressor.cc): StreamDecoder (libbzip2 on the calling thread) and
// ParallelDecoder (blocks on the pool, src/parallel/). Both give, for the
// same input, the same output bytes and the same verdict; only how much of
// either a single call returns may differ.
#ifndef BZ2_NAPI_BZIP2_DECODER_H_
#define BZ2_NAPI_BZIP2_DECODER_H_

#include <cstddef>
#include <cstdint>

#include "bzip2/output_buffer.h"

namespace bz2napi {

struct DecodeResult {
  // BZ_OK (the input is used up, or the output reached its limit, or the
  // decoder wants more input), or a negative libbzip2 code or one of
  // status_codes.h (the decoder is then failed).
  int ret = 0;
  size_t consumed = 0;         // input bytes used (the caller keeps the rest)
  size_t streams_ended = 0;    // streams whose end-of-stream marker was read
  size_t last_end_output = 0;  // output bytes up to the last of those ends
};

class Decoder {
 public:
  virtual ~Decoder() = default;

  // Decodes from in[0, len) into `out` (at most `limit` bytes in all).
  // `last`: nothing follows this input, so whatever it leaves unresolved is
  // decided now. A failure in a call that ended a stream or wrote output is
  // held back: this call returns BZ_OK with all the output made before the
  // failure, and the next call returns the failure. So the output of complete
  // streams is never lost to the failure of the stream after them, and what
  // a failing stream produced first is the same whatever the calls were.
  virtual DecodeResult Run(const uint8_t* in,
                           size_t len,
                           OutputBuffer* out,
                           size_t limit,
                           bool last) = 0;

  // Frees the decoder's memory now; later calls fail. Idempotent.
  virtual void End() = 0;

  // Bytes of a stream have been read and its end has not.
  virtual bool in_stream() const = 0;
  // Single stream only: its end was read.
  virtual bool done() const = 0;
  // Whether the next call should bring input: without it there is no more
  // output to come now (none pending inside), and the decoder is not done or
  // failed.
  virtual bool needs_input() const = 0;
  // Native bytes the decoder holds now.
  virtual int64_t allocated_bytes() const = 0;
};

}  // namespace bz2napi

#endif  // BZ2_NAPI_BZIP2_DECODER_H_
