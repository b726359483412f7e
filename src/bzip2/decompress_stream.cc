#include "bzip2/decompress_stream.h"

#include <algorithm>

extern "C" {
#include "bzlib_private.h"
}

namespace bz2napi {

int DecompressStream::Init() {
  return Open([](bz_stream* strm) { return BZ2_bzDecompressInit(strm, 0, 0); });
}

int DecompressStream::InitAt(int level,
                             uint8_t byte,
                             int bits,
                             uint32_t combined_crc) {
  if (level < 1 || level > 9 || bits < 0 || bits > 8)
    return BZ_PARAM_ERROR;
  int ret = Init();
  if (ret != BZ_OK)
    return ret;
  char header[4] = {'B', 'Z', 'h', static_cast<char>('0' + level)};
  char none = 0;
  strm_.next_in = header;
  strm_.avail_in = sizeof header;
  strm_.next_out = &none;
  strm_.avail_out = 0;
  // Reads the header (allocating the block array for `level`) and stops
  // waiting for the first magic byte.
  ret = BZ2_bzDecompress(&strm_);
  auto* s = static_cast<DState*>(strm_.state);
  if (ret != BZ_OK || strm_.avail_in != 0 || s->state != BZ_X_BLKHDR_1) {
    End();
    return ret != BZ_OK ? ret : BZ_DATA_ERROR;
  }
  // Four whole bytes were read, so the bit buffer is empty (bsLive == 0).
  s->bsBuff = byte;
  s->bsLive = bits;
  s->calculatedCombinedCRC = combined_crc;
  strm_.next_in = nullptr;
  strm_.next_out = nullptr;
  return BZ_OK;
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
    // Within `limit`: a buffer may have been given more room than that.
    const size_t room = out->size() < limit ? limit - out->size() : 0;
    const size_t offered_out = std::min({out->free_bytes(), room, kMaxSlice});
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

DecompressStream::Boundary DecompressStream::boundary() const {
  if (!active())
    return Boundary::kNone;
  const int state = static_cast<const DState*>(strm_.state)->state;
  if (state == BZ_X_BCRC_1)
    return Boundary::kBlock;
  if (state == BZ_X_CCRC_1)
    return Boundary::kEnd;
  return Boundary::kNone;
}

int DecompressStream::buffered_bits() const {
  return active() ? static_cast<const DState*>(strm_.state)->bsLive : 0;
}

uint32_t DecompressStream::combined_crc() const {
  return active()
             ? static_cast<const DState*>(strm_.state)->calculatedCombinedCRC
             : 0;
}

void DecompressStream::set_combined_crc(uint32_t crc) {
  if (active())
    static_cast<DState*>(strm_.state)->calculatedCombinedCRC = crc;
}

int DecompressStream::completed_blocks() const {
  if (!active())
    return 0;
  const auto* s = static_cast<const DState*>(strm_.state);
  // currBlockNo counts the block magics read; the last block is complete
  // unless the stream is inside it (from its CRC to its output).
  const bool inside = s->state == BZ_X_OUTPUT ||
                      (s->state >= BZ_X_BCRC_1 && s->state < BZ_X_ENDHDR_2);
  return inside ? s->currBlockNo - 1 : s->currBlockNo;
}

void DecompressStream::End() {
  Close(BZ2_bzDecompressEnd);
}

}  // namespace bz2napi
