// Bytes through CompressStream at a level from the header, fed in random
// chunks, must give exactly the bytes libbzip2 gives for one BZ_RUN of all
// the input and BZ_FINISH (the same level, workFactor 0 as compress_stream.cc
// uses), and must decode through DecompressStream back to the input. A random
// output limit below the stream's size must fail with kOutputLimit after
// writing a prefix of it.
//
// Header byte 0: level (1 + b % 9); bit 7 asks for an output limit. Bytes 1-7
// seed the chunking. The payload follows.
#include <cstring>
#include <vector>

#include "bzip2/compress_stream.h"
#include "bzip2/decompress_stream.h"
#include "bzip2/output_buffer.h"
#include "bzip2/status_codes.h"
#include "bzlib.h"
#include "fuzz_util.h"

namespace {

using bz2napi::CompressStream;
using bz2napi::DecompressStream;
using bz2napi::OutputBuffer;

std::vector<uint8_t> Reference(const uint8_t* in, size_t len, int level) {
  bz_stream s{};
  FUZZ_CHECK(BZ2_bzCompressInit(&s, level, 0, 0) == BZ_OK);
  // Worst case is about 1% over the input plus the headers.
  std::vector<uint8_t> out(len + len / 50 + 1024);
  s.next_in = const_cast<char*>(reinterpret_cast<const char*>(in));
  s.avail_in = static_cast<unsigned>(len);
  s.next_out = reinterpret_cast<char*>(out.data());
  s.avail_out = static_cast<unsigned>(out.size());
  // BZ_RUN with no input is a BZ_PARAM_ERROR (no progress), so skip it.
  if (len > 0)
    FUZZ_CHECK(BZ2_bzCompress(&s, BZ_RUN) == BZ_RUN_OK);
  FUZZ_CHECK(s.avail_in == 0);
  FUZZ_CHECK(BZ2_bzCompress(&s, BZ_FINISH) == BZ_STREAM_END);
  out.resize(out.size() - s.avail_out);
  BZ2_bzCompressEnd(&s);
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < fuzz::kHeader)
    return 0;
  const int level = 1 + data[0] % 9;
  fuzz::Choices choices(fuzz::HeaderSeed(data));
  const uint8_t* in = data + fuzz::kHeader;
  const size_t len = size - fuzz::kHeader;
  const std::vector<uint8_t> ref = Reference(in, len, level);

  // Unlimited, or a limit somewhere around the stream's size.
  size_t limit = SIZE_MAX;
  if (data[0] & 0x80)
    limit = choices.Range(0, ref.size() + 1);

  CompressStream stream;
  FUZZ_CHECK(stream.Init(level) == BZ_OK);
  std::vector<uint8_t> ours;
  int ret = BZ_RUN_OK;
  size_t pos = 0;
  OutputBuffer out;
  while (ret == BZ_RUN_OK && pos < len) {
    const size_t chunk = choices.Chunk(len - pos);
    ret = stream.Compress(in + pos, chunk, &out, limit);
    pos += chunk;
    // Sometimes hand the output over, as a caller taking each call's bytes
    // does; the limit then applies to the next buffer afresh, so only an
    // unlimited run may do it.
    if (limit == SIZE_MAX && choices.Next() % 2) {
      ours.insert(ours.end(), out.data(), out.data() + out.size());
      out = OutputBuffer();
    }
  }
  if (ret == BZ_RUN_OK)
    ret = stream.Finish(&out, limit);
  ours.insert(ours.end(), out.data(), out.data() + out.size());

  if (limit >= ref.size()) {
    FUZZ_CHECK(ret == BZ_STREAM_END);
    FUZZ_CHECK(ours == ref);
  } else {
    FUZZ_CHECK(ret == bz2napi::kOutputLimit);
    FUZZ_CHECK(ours.size() <= limit);
    FUZZ_CHECK(ours.empty() ||
               std::memcmp(ours.data(), ref.data(), ours.size()) == 0);
    return 0;
  }

  // Round trip. One spare byte of room, so the stream's end is read whatever
  // libbzip2 does at an exactly full buffer.
  DecompressStream d;
  FUZZ_CHECK(d.Init() == BZ_OK);
  OutputBuffer back;
  size_t consumed = 0;
  FUZZ_CHECK(d.Run(ours.data(), ours.size(), &consumed, &back, len + 1) ==
             BZ_STREAM_END);
  FUZZ_CHECK(consumed == ours.size());
  FUZZ_CHECK(back.size() == len);
  FUZZ_CHECK(len == 0 || std::memcmp(back.data(), in, len) == 0);
  return 0;
}
