// Decodes one bzip2 stream, or concatenated streams back to back, on one
// DecompressStream that is ended at each stream's end (freeing libbzip2's
// memory at once) and started again for the next. Plain C++ (no Node-API),
// shared by the sync and async paths.
//
// Back to back, one call decodes as many streams as its input and output
// limit allow, so thousands of tiny streams cost one call, not one call (and
// one trip to a worker thread) each. What the caller needs to apply CPython's
// rules per stream is reported: how many streams ended in the call and where
// the last of them ended in the output.
#ifndef BZ2_NAPI_BZIP2_STREAM_DECODER_H_
#define BZ2_NAPI_BZIP2_STREAM_DECODER_H_

#include <cstddef>
#include <cstdint>

#include "bzip2/decoder.h"
#include "bzip2/decompress_stream.h"
#include "bzip2/output_buffer.h"

namespace bz2napi {

// kConcatenated: a stream end is followed by another stream whenever input
// remains. kOne: the decoder is done after one stream.
enum class Streams { kOne, kConcatenated };

class StreamDecoder : public Decoder {
 public:
  explicit StreamDecoder(Streams streams) : streams_(streams) {}

  // Decoder. `last` changes nothing: libbzip2 decides as it reads.
  DecodeResult Run(const uint8_t* in,
                   size_t len,
                   OutputBuffer* out,
                   size_t limit,
                   bool last) override;
  void End() override;
  bool in_stream() const override { return stream_.active(); }
  bool done() const override { return done_; }
  bool needs_input() const override {
    return !done_ && !ended_ && failure_ == 0 && !stream_.output_pending();
  }
  int64_t allocated_bytes() const override { return stream_.allocated_bytes(); }

 private:
  // Records the failure `ret` and returns what the caller gets for it
  // (`produced`: the call wrote output).
  DecodeResult Fail(int ret, bool produced, DecodeResult* result);

  DecompressStream stream_;
  const Streams streams_;
  bool done_ = false;
  bool ended_ = false;  // End() was called
  int failure_ = 0;     // sticky: every later call returns it
};

}  // namespace bz2napi

#endif  // BZ2_NAPI_BZIP2_STREAM_DECODER_H_
