// Decodes one bzip2 stream, or concatenated streams back to back, on one
// DecompressStream that is ended at each stream's end (freeing libbzip2's
// memory at once) and started again for the next. Plain C++ (no Node-API),
// shared by the sync and async paths.
//
// Back to back, one call decodes as many streams as its input and output
// limit allow, so thousands of tiny streams cost one call, not one call (and
// one trip to a worker thread) each. What the caller needs to apply CPython's
// rules per stream is reported: how many streams ended in the call and where
// the last of them ended in the output and the input.
#ifndef BZ2_NAPI_BZIP2_STREAM_DECODER_H_
#define BZ2_NAPI_BZIP2_STREAM_DECODER_H_

#include <cstddef>
#include <cstdint>

#include "bzip2/decompress_stream.h"
#include "bzip2/output_buffer.h"

namespace bz2napi {

struct DecodeResult {
  // BZ_OK (the input is used up or the output reached its limit), or a
  // negative libbzip2 code or kNoProgress (the decoder is then failed).
  int ret = 0;
  size_t consumed = 0;         // input bytes used
  size_t streams_ended = 0;    // streams whose end-of-stream marker was read
  size_t last_end_output = 0;  // output bytes up to the last of those ends
  size_t last_end_input = 0;   // input bytes up to the last of those ends
};

// kConcatenated: a stream end is followed by another stream whenever input
// remains. kOne: the decoder is done after one stream.
enum class Streams { kOne, kConcatenated };

class StreamDecoder {
 public:
  explicit StreamDecoder(Streams streams) : streams_(streams) {}

  // Decodes from in[0, len) into `out` (at most `limit` bytes in all). A
  // failure in a stream that began in this call after another stream ended in
  // it is held back: this call returns BZ_OK with the output and input up to
  // that earlier end, and the next call returns the failure. So the output of
  // complete streams is never lost to the failure of the stream after them.
  DecodeResult Run(const uint8_t* in,
                   size_t len,
                   OutputBuffer* out,
                   size_t limit);

  // Frees libbzip2's state now; later calls fail. Idempotent.
  void End();

  // Bytes of a stream have been read and its end has not.
  bool in_stream() const { return stream_.active(); }
  // Single stream only: its end was read.
  bool done() const { return done_; }
  // Whether the next call needs input to make progress: nothing is pending
  // inside, and the decoder is not done or failed.
  bool needs_input() const {
    return !done_ && !ended_ && failure_ == 0 && !stream_.output_pending();
  }
  int64_t allocated_bytes() const { return stream_.allocated_bytes(); }

 private:
  // Records the failure `ret` and returns what the caller gets for it.
  DecodeResult Fail(int ret, OutputBuffer* out, DecodeResult* result);

  DecompressStream stream_;
  const Streams streams_;
  bool done_ = false;
  bool ended_ = false;  // End() was called
  int failure_ = 0;     // sticky: every later call returns it
};

}  // namespace bz2napi

#endif  // BZ2_NAPI_BZIP2_STREAM_DECODER_H_
