#include "one_shot.h"

#include <limits>

#include "bzlib.h"
#include "compress_stream.h"
#include "decompress_stream.h"

namespace bz2napi {

int CompressAll(const uint8_t* in, size_t len, int level, OutputBuffer* out) {
  CompressStream stream;
  int ret = stream.Init(level);
  if (ret != BZ_OK)
    return ret;
  ret = stream.Compress(in, len, out);
  if (ret < 0)
    return ret;
  return stream.Finish(out);
}

DecompressResult DecompressAll(const uint8_t* in,
                               size_t len,
                               size_t limit,
                               OutputBuffer* out) {
  // One byte past the limit tells "exactly at the limit" from "beyond it".
  const size_t cap =
      limit == std::numeric_limits<size_t>::max() ? limit : limit + 1;
  size_t offset = 0;
  bool first = true;
  while (offset < len) {
    DecompressStream stream;
    int ret = stream.Init();
    if (ret != BZ_OK) {
      return {ret == BZ_MEM_ERROR ? DecompressStatus::kMemory
                                  : DecompressStatus::kInternal,
              ret};
    }
    const size_t before = out->size();
    size_t consumed = 0;
    ret = stream.Run(in + offset, len - offset, &consumed, out, cap);
    if (out->size() > limit)
      return {DecompressStatus::kTooLarge, ret};
    if (ret == BZ_DATA_ERROR || ret == BZ_DATA_ERROR_MAGIC) {
      if (first)
        return {DecompressStatus::kData, ret};
      // Trailing bytes that are not a valid stream are ignored, as in CPython.
      out->Truncate(before);
      return {DecompressStatus::kOk, BZ_OK};
    }
    if (ret == BZ_MEM_ERROR)
      return {DecompressStatus::kMemory, ret};
    if (ret < 0)
      return {DecompressStatus::kInternal, ret};
    if (ret != BZ_STREAM_END)
      return {DecompressStatus::kTruncated, ret};
    offset += consumed;
    first = false;
  }
  return {DecompressStatus::kOk, BZ_OK};
}

}  // namespace bz2napi
