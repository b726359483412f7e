#include "bzip2/stream_decoder.h"

#include "bzlib.h"

namespace bz2napi {

DecodeResult StreamDecoder::Run(const uint8_t* in,
                                size_t len,
                                OutputBuffer* out,
                                size_t limit,
                                bool /*last*/) {
  DecodeResult result;
  const size_t start = out->size();
  if (failure_ != 0) {
    result.ret = failure_;
    return result;
  }
  if (done_ || ended_) {
    result.ret = BZ_SEQUENCE_ERROR;
    return result;
  }
  for (;;) {
    if (!stream_.active()) {
      // A stream starts with its first byte; without one nothing changes (as
      // libbzip2 itself, waiting for its magic, would return BZ_OK).
      if (result.consumed == len)
        return result;
      const int ret = stream_.Init();
      if (ret != BZ_OK)
        return Fail(ret, out->size() > start, &result);
    }
    size_t used = 0;
    const int ret = stream_.Run(in + result.consumed, len - result.consumed,
                                &used, out, limit);
    result.consumed += used;
    if (ret == BZ_STREAM_END) {
      stream_.End();
      ++result.streams_ended;
      result.last_end_output = out->size();
      if (streams_ == Streams::kOne) {
        done_ = true;
        return result;
      }
      if (result.consumed == len || out->size() >= limit)
        return result;
      continue;
    }
    if (ret < 0)
      return Fail(ret, out->size() > start, &result);
    return result;  // BZ_OK: input used up, or output at its limit
  }
}

DecodeResult StreamDecoder::Fail(int ret, bool produced, DecodeResult* result) {
  stream_.End();
  failure_ = ret;
  // Concatenated streams: held back to the next call when this one ended a
  // stream or produced output (Decoder). A single stream fails at once, as
  // CPython's BZ2Decompressor does, dropping the call's output.
  if (streams_ == Streams::kOne || (result->streams_ended == 0 && !produced))
    result->ret = ret;
  return *result;
}

void StreamDecoder::End() {
  stream_.End();
  ended_ = true;
}

}  // namespace bz2napi
