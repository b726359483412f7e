#include "bzip2/decompress_stream.h"

#include <algorithm>

extern "C" {
#include "bzlib_private.h"
}

namespace bz2napi {

int DecompressStream::Init() {
  return Open([](bz_stream* strm) { return BZ2_bzDecompressInit(strm, 0, 0); });
}

int DecompressStream::Run(const uint8_t* in,
                          size_t len,
                          size_t* consumed,
                          OutputBuffer* out,
                          size_t limit) {
  *consumed = 0;
  if (!active())
    return BZ_SEQUENCE_ERROR;
  // libbzip2 is called at least once, even with no room for output (limit 0):
  // as in CPython, it then still reads headers, decodes a block and finds the
  // end of a stream or bad data.
  for (;;) {
    if (out->free_bytes() == 0 && out->size() < limit && !out->Grow(limit))
      return BZ_MEM_ERROR;
    const size_t offered_in = std::min(len - *consumed, kMaxSlice);
    // Grow() never lets the capacity pass `limit`, so free space is within it
    // too.
    const size_t offered_out = std::min(out->free_bytes(), kMaxSlice);
    // libbzip2 never writes through next_in; the cast only matches its
    // signature.
    strm_.next_in =
        const_cast<char*>(reinterpret_cast<const char*>(in + *consumed));
    strm_.avail_in = static_cast<unsigned>(offered_in);
    strm_.next_out = reinterpret_cast<char*>(out->free_space());
    strm_.avail_out = static_cast<unsigned>(offered_out);
    const int ret = BZ2_bzDecompress(&strm_);
    const size_t used = offered_in - strm_.avail_in;
    const size_t produced = offered_out - strm_.avail_out;
    *consumed += used;
    out->Commit(produced);
    if (ret != BZ_OK)
      return ret;  // BZ_STREAM_END or an error
    // A full output buffer may hide more pending output: make room before
    // deciding that libbzip2 needs input (CPython checks input first and can
    // stop with output pending).
    if (strm_.avail_out == 0) {
      if (out->size() >= limit)
        return BZ_OK;
      continue;
    }
    if (*consumed == len)
      return BZ_OK;
    if (used == 0 && produced == 0)
      return kNoProgress;
  }
}

bool DecompressStream::output_pending() const {
  // BZ2_bzDecompress leaves the output state only once a block is written out
  // whole, so a stream that returned in it holds output not yet delivered.
  return active() &&
         static_cast<const DState*>(strm_.state)->state == BZ_X_OUTPUT;
}

void DecompressStream::End() {
  Close(BZ2_bzDecompressEnd);
}

}  // namespace bz2napi
