#include "bzip2/stream_decoder.h"

#include "bzlib.h"

namespace bz2napi {

DecodeResult StreamDecoder::Run(const uint8_t* in,
                                size_t len,
                                OutputBuffer* out,
                                size_t limit) {
  DecodeResult result;
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
        return Fail(ret, out, &result);
    }
    size_t used = 0;
    const int ret = stream_.Run(in + result.consumed, len - result.consumed,
                                &used, out, limit);
    result.consumed += used;
    if (ret == BZ_STREAM_END) {
      stream_.End();
      ++result.streams_ended;
      result.last_end_output = out->size();
      result.last_end_input = result.consumed;
      if (streams_ == Streams::kOne) {
        done_ = true;
        return result;
      }
      if (result.consumed == len || out->size() >= limit)
        return result;
      continue;
    }
    if (ret < 0)
      return Fail(ret, out, &result);
    return result;  // BZ_OK: input used up, or output at its limit
  }
}

DecodeResult StreamDecoder::Fail(int ret,
                                 OutputBuffer* out,
                                 DecodeResult* result) {
  stream_.End();
  failure_ = ret;
  if (result->streams_ended > 0) {
    // Held back to the next call: the failing stream began after the last
    // end, and what it produced before failing is dropped with it.
    out->Truncate(result->last_end_output);
    result->consumed = result->last_end_input;
  } else {
    result->ret = ret;
  }
  return *result;
}

void StreamDecoder::End() {
  stream_.End();
  ended_ = true;
}

}  // namespace bz2napi
