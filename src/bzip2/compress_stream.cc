#include "bzip2/compress_stream.h"

#include <algorithm>

namespace bz2napi {

int CompressStream::Init(int level) {
  return Open([level](bz_stream* strm) {
    return BZ2_bzCompressInit(strm, level, 0, 0);
  });
}

int CompressStream::Compress(const uint8_t* in,
                             size_t len,
                             OutputBuffer* out,
                             size_t limit) {
  return Run(in, len, BZ_RUN, out, limit);
}

int CompressStream::Finish(OutputBuffer* out, size_t limit) {
  return Run(nullptr, 0, BZ_FINISH, out, limit);
}

// CPython's loop (_bz2module.c compress): refill input and output as they run
// dry; with BZ_RUN stop once all input is consumed (libbzip2 keeps any pending
// output for a later call), with BZ_FINISH stop at BZ_STREAM_END.
int CompressStream::Run(const uint8_t* in,
                        size_t len,
                        int action,
                        OutputBuffer* out,
                        size_t limit) {
  if (!active())
    return BZ_SEQUENCE_ERROR;
  // libbzip2 never writes through next_in; the cast only matches its signature.
  strm_.next_in = const_cast<char*>(reinterpret_cast<const char*>(in));
  strm_.avail_in = 0;
  size_t remaining = len;
  for (;;) {
    if (strm_.avail_in == 0 && remaining > 0) {
      strm_.avail_in = static_cast<unsigned>(std::min(remaining, kMaxSlice));
      remaining -= strm_.avail_in;
    }
    if (action == BZ_RUN && strm_.avail_in == 0)
      return BZ_RUN_OK;
    if (out->free_bytes() == 0 && !out->Grow(limit))
      return out->out_of_memory() ? BZ_MEM_ERROR : kOutputLimit;
    const size_t room = std::min(out->free_bytes(), kMaxSlice);
    strm_.next_out = reinterpret_cast<char*>(out->free_space());
    strm_.avail_out = static_cast<unsigned>(room);
    const int ret = BZ2_bzCompress(&strm_, action);
    out->Commit(room - strm_.avail_out);
    if (ret < 0)
      return ret;
    if (action == BZ_FINISH && ret == BZ_STREAM_END)
      return ret;
  }
}

void CompressStream::End() {
  Close(BZ2_bzCompressEnd);
}

}  // namespace bz2napi
