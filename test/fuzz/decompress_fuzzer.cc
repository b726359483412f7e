// Arbitrary bytes through StreamDecoder, fed in random splits with random
// output limits per call, checked against libbzip2's own verdict on the same
// bytes with the same total output cap:
//   single stream: BZ2_bzBuffToBuffDecompress (which decodes the first stream
//     and ignores what follows it);
//   concatenated: a plain loop of one BZ2_bzDecompress call per stream over
//     all the remaining input (no splits, no limits but the cap).
//
// Header byte 0: bit 0 picks concatenated mode. Bytes 1-7 seed the splits and
// limits. The payload follows.
#include <cstring>
#include <vector>

#include "bzip2/output_buffer.h"
#include "bzip2/stream_decoder.h"
#include "bzlib.h"
#include "fuzz_util.h"

namespace {

using bz2napi::DecodeResult;
using bz2napi::OutputBuffer;
using bz2napi::StreamDecoder;
using bz2napi::Streams;

// Output past this is not decoded (bzip2 expands up to ~45000x, so a few
// hundred bytes could otherwise take seconds). Both sides get the same cap.
size_t OutputCap(size_t len) {
  constexpr size_t kMin = 64 * 1024;
  constexpr size_t kMax = 4 * 1024 * 1024;
  const size_t cap = len * 100;
  return cap < kMin ? kMin : cap > kMax ? kMax : cap;
}

// How a decode ended. Exactly one holds, checked in this order.
enum class End {
  kFailed,    // an error code (ret)
  kDone,      // single stream: its end was read
  kCapped,    // the output reached the cap before the data ran out
  kInputEnd,  // all input used; in_stream tells whether it ended inside one
};

struct Outcome {
  End end = End::kInputEnd;
  int ret = BZ_OK;
  bool in_stream = false;
  size_t streams_ended = 0;
  size_t last_end_output = 0;  // output up to the last complete stream
  std::vector<uint8_t> out;
};

Outcome RunDecoder(const uint8_t* in,
                   size_t len,
                   Streams mode,
                   size_t cap,
                   fuzz::Choices* choices) {
  Outcome o;
  StreamDecoder decoder(mode);
  size_t pos = 0;
  bool stalled = false;  // the last call moved nothing; it had limit 0
  for (;;) {
    const size_t chunk = choices->Chunk(len - pos);
    const size_t room = cap - o.out.size();
    size_t limit;
    switch (choices->Next() % 4) {
      case 0:
        limit = room;
        break;
      case 1:
        limit = 0;
        break;
      case 2:
        limit = choices->Range(0, room < 16 ? room : 16);
        break;
      default:
        limit = choices->Range(0, room);
        break;
    }
    // A limit of 0 may legitimately move nothing (output pending): the next
    // call then gets all the room, so the loop cannot spin.
    if (stalled)
      limit = room;
    OutputBuffer buf;
    const DecodeResult r = decoder.Run(in + pos, chunk, &buf, limit, false);
    FUZZ_CHECK(buf.size() <= limit);
    FUZZ_CHECK(r.consumed <= chunk);
    FUZZ_CHECK(r.last_end_output <= buf.size());
    if (r.streams_ended > 0)
      o.last_end_output = o.out.size() + r.last_end_output;
    o.out.insert(o.out.end(), buf.data(), buf.data() + buf.size());
    o.streams_ended += r.streams_ended;
    pos += r.consumed;
    if (r.ret != BZ_OK) {
      FUZZ_CHECK(r.ret < 0);
      // Only the output of the failing call itself: a failure held back
      // from an earlier call comes with nothing.
      o.end = End::kFailed;
      o.ret = r.ret;
      // Sticky.
      OutputBuffer again;
      FUZZ_CHECK(decoder.Run(in + pos, len - pos, &again, room, false).ret ==
                 r.ret);
      break;
    }
    if (decoder.done()) {
      FUZZ_CHECK(mode == Streams::kOne && o.streams_ended == 1);
      o.end = End::kDone;
      // Trailing bytes are the caller's; the decoder refuses more.
      OutputBuffer again;
      FUZZ_CHECK(decoder.Run(in + pos, len - pos, &again, cap, false).ret ==
                 BZ_SEQUENCE_ERROR);
      break;
    }
    const bool moved = r.consumed > 0 || buf.size() > 0 || r.streams_ended > 0;
    if (moved) {
      stalled = false;
      continue;
    }
    // Everything used and no stream open: a clean end, even at the cap.
    if (pos == len && !decoder.in_stream()) {
      o.end = End::kInputEnd;
      break;
    }
    if (limit == 0 && room > 0) {
      stalled = true;
      continue;
    }
    if (room == 0) {
      o.end = End::kCapped;
      break;
    }
    // With room for output, a call that moved nothing means the input is all
    // used and libbzip2 waits for more.
    FUZZ_CHECK(pos == len);
    FUZZ_CHECK(decoder.needs_input());
    o.end = End::kInputEnd;
    break;
  }
  o.in_stream = decoder.in_stream();
  FUZZ_CHECK(o.out.size() <= cap);
  return o;
}

bool SamePrefix(const std::vector<uint8_t>& ours,
                const std::vector<uint8_t>& ref,
                size_t ref_len) {
  return ours.size() <= ref_len &&
         (ours.empty() ||
          std::memcmp(ours.data(), ref.data(), ours.size()) == 0);
}

void CheckSingle(const uint8_t* in, size_t len, size_t cap, const Outcome& o) {
  // The reference gets exactly the cap, so its BZ_OUTBUFF_FULL is our cap.
  std::vector<uint8_t> ref(cap);
  unsigned dest_len = static_cast<unsigned>(cap);
  const int rc = BZ2_bzBuffToBuffDecompress(
      reinterpret_cast<char*>(ref.data()), &dest_len,
      const_cast<char*>(reinterpret_cast<const char*>(in)),
      static_cast<unsigned>(len), 0, 0);
  switch (rc) {
    case BZ_OK:
      FUZZ_CHECK(o.end == End::kDone);
      FUZZ_CHECK(o.out.size() == dest_len);
      FUZZ_CHECK(SamePrefix(o.out, ref, dest_len));
      break;
    case BZ_OUTBUFF_FULL:
      FUZZ_CHECK(o.end == End::kCapped);
      FUZZ_CHECK(SamePrefix(o.out, ref, cap));
      break;
    case BZ_UNEXPECTED_EOF:
      // Ours: all input used, no error, no end, inside a stream (or no
      // input at all: a stream starts with its first byte).
      FUZZ_CHECK(o.end == End::kInputEnd);
      FUZZ_CHECK(o.in_stream == (len > 0));
      FUZZ_CHECK(SamePrefix(o.out, ref, cap));
      break;
    case BZ_DATA_ERROR:
    case BZ_DATA_ERROR_MAGIC:
      FUZZ_CHECK(o.end == End::kFailed && o.ret == rc);
      FUZZ_CHECK(!o.in_stream);
      // dest holds what libbzip2 wrote before failing; ours is no more.
      FUZZ_CHECK(SamePrefix(o.out, ref, cap));
      break;
    default:
      FUZZ_CHECK(!"unexpected BZ2_bzBuffToBuffDecompress result");
  }
}

void CheckConcatenated(const uint8_t* in,
                       size_t len,
                       size_t cap,
                       const Outcome& o) {
  std::vector<uint8_t> ref(cap);
  size_t pos = 0;
  size_t produced = 0;
  size_t streams = 0;
  size_t last_end = 0;
  End end = End::kInputEnd;
  bool in_stream = false;
  int ret = BZ_OK;
  while (pos < len) {
    bz_stream s{};
    FUZZ_CHECK(BZ2_bzDecompressInit(&s, 0, 0) == BZ_OK);
    s.next_in = const_cast<char*>(reinterpret_cast<const char*>(in + pos));
    s.avail_in = static_cast<unsigned>(len - pos);
    s.next_out = reinterpret_cast<char*>(ref.data() + produced);
    s.avail_out = static_cast<unsigned>(cap - produced);
    const int rc = BZ2_bzDecompress(&s);
    pos += (len - pos) - s.avail_in;
    produced += (cap - produced) - s.avail_out;
    BZ2_bzDecompressEnd(&s);
    if (rc == BZ_STREAM_END) {
      ++streams;
      last_end = produced;
      continue;
    }
    if (rc == BZ_OK) {
      // As BZ2_bzBuffToBuffDecompress decides: no room left is the cap,
      // otherwise the input ran out inside the stream.
      if (s.avail_out == 0) {
        end = End::kCapped;
      } else {
        FUZZ_CHECK(pos == len);
        in_stream = true;
      }
    } else {
      end = End::kFailed;
      ret = rc;
    }
    break;
  }
  FUZZ_CHECK(o.end == end);
  FUZZ_CHECK(o.ret == ret);
  FUZZ_CHECK(o.streams_ended == streams);
  if (streams > 0)
    FUZZ_CHECK(o.last_end_output == last_end);
  if (end == End::kFailed) {
    // Complete streams are never lost; the failing stream's partial output
    // may or may not be (held back when a stream ended in the same call).
    FUZZ_CHECK(o.out.size() >= last_end);
    // Not `produced`: when libbzip2 finds a bad run it returns without
    // storing avail_out, so bytes it wrote go uncounted, and how many
    // depends on the output slices. Only the bytes must agree.
    FUZZ_CHECK(SamePrefix(o.out, ref, cap));
  } else {
    // At the cap either side may or may not have opened the next stream.
    if (end == End::kInputEnd)
      FUZZ_CHECK(o.in_stream == in_stream);
    FUZZ_CHECK(o.out.size() == produced);
    FUZZ_CHECK(SamePrefix(o.out, ref, produced));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < fuzz::kHeader)
    return 0;
  const Streams mode = (data[0] & 1) ? Streams::kConcatenated : Streams::kOne;
  fuzz::Choices choices(fuzz::HeaderSeed(data));
  const uint8_t* in = data + fuzz::kHeader;
  const size_t len = size - fuzz::kHeader;
  const size_t cap = OutputCap(len);
  const Outcome o = RunDecoder(in, len, mode, cap, &choices);
  if (mode == Streams::kOne)
    CheckSingle(in, len, cap, o);
  else
    CheckConcatenated(in, len, cap, o);
  return 0;
}
