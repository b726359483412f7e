// ParallelDecoder against StreamDecoder(Streams::kConcatenated), by
// differential testing: for the same input both must give the same output
// bytes and the same verdict (decoder.h).
//
// The reference (libbzip2 alone) gets the whole input in one call with
// last = true, and is drained with empty calls while it has more to say. The
// candidate is driven the way lib/concatenated-decoder.ts drives the native
// decoder: input pushed in chunks, each step offering the rest of the head
// chunk (needsInput) or nothing, maxLength = min(limit - total + 1,
// stepOutput), `last` when the input has ended and the step offers all that is
// queued, no more steps once a last step used everything and the decoder wants
// input, and a stop as soon as the output passes the limit or a call fails.
//
// Random bytes almost never reach the parallel path (no block magic), so most
// inputs are built here: 1-3 valid streams (levels 1-3) of data expanded from
// the payload to 150-700 kB, so each has several blocks, then mutated (bit
// flips, forged block / end magics, deleted or duplicated bit ranges, a
// stream header's level changed, truncation, trailing garbage), mostly at
// and around the real magics.
//
// Header byte 0: bits 0-1 threads (2 + n % 3); bits 2-3 input (0: the payload
// as given, else built); bits 4-5 output limit (3: small, else unlimited);
// bit 6 the end of the input comes with the last chunk (else with an empty
// step after it); bit 7 chunking style (0: random chunks, 1: one of fixed,
// around magics, whole). Bytes 1-7 seed the choices. The payload follows.
//
// PDECODE_DUMP=path writes the input the decoders got (built and mutated);
// PDECODE_VERBOSE=1 prints what was built, the verdicts and the times.
#include <algorithm>
#include <chrono>
#include <cinttypes>
#include <cstring>
#include <memory>
#include <vector>

#include "bzip2/output_buffer.h"
#include "bzip2/stream_decoder.h"
#include "bzlib.h"
#include "fuzz_util.h"
#include "parallel/parallel_decoder.h"
#include "parallel/worker_pool.h"

namespace {

using bz2napi::DecodeResult;
using bz2napi::OutputBuffer;
using bz2napi::ParallelDecoder;
using bz2napi::StreamDecoder;
using bz2napi::Streams;

constexpr uint64_t kMaxSafeInteger = (uint64_t{1} << 53) - 1;
constexpr uint64_t kBlockMagic = 0x314159265359ULL;
constexpr uint64_t kEndMagic = 0x177245385090ULL;
// Output the harness takes in all, whatever the limit (a few hundred bytes of
// bzip2 can expand to gigabytes). Both decoders get the same cut.
constexpr uint64_t kHarnessCap = 8u << 20;
constexpr size_t kNoStep = SIZE_MAX;

// ---- bits (big-endian in each byte, as bzip2 writes them) ----

unsigned GetBit(const std::vector<uint8_t>& v, uint64_t bit) {
  return (v[bit >> 3] >> (7 - (bit & 7))) & 1;
}

void SetBit(std::vector<uint8_t>* v, uint64_t bit, unsigned b) {
  const uint8_t mask = static_cast<uint8_t>(0x80 >> (bit & 7));
  if (b)
    (*v)[bit >> 3] |= mask;
  else
    (*v)[bit >> 3] &= static_cast<uint8_t>(~mask);
}

// 8 bits starting at `bit` (zeros past the end).
uint8_t ByteAtBit(const std::vector<uint8_t>& v, uint64_t bit) {
  const size_t k = static_cast<size_t>(bit >> 3);
  const unsigned s = bit & 7;
  const unsigned hi = k < v.size() ? v[k] : 0;
  const unsigned lo = k + 1 < v.size() ? v[k + 1] : 0;
  return static_cast<uint8_t>((((hi << 8) | lo) << s) >> 8);
}

struct BitWriter {
  std::vector<uint8_t> bytes;
  uint64_t bits = 0;
  void PutBit(unsigned b) {
    if (bits % 8 == 0)
      bytes.push_back(0);
    if (b)
      bytes.back() |= static_cast<uint8_t>(0x80 >> (bits % 8));
    ++bits;
  }
  void PutByte(uint8_t v) {
    const unsigned s = bits % 8;
    if (s == 0) {
      bytes.push_back(v);
    } else {
      bytes.back() |= static_cast<uint8_t>(v >> s);
      bytes.push_back(static_cast<uint8_t>(v << (8 - s)));
    }
    bits += 8;
  }
  void Copy(const std::vector<uint8_t>& src, uint64_t from, uint64_t n) {
    for (; n >= 8; n -= 8, from += 8)
      PutByte(ByteAtBit(src, from));
    for (; n > 0; --n)
      PutBit(GetBit(src, from++));
  }
};

// Every bit where a block or end-of-stream magic begins.
std::vector<uint64_t> ScanMagics(const std::vector<uint8_t>& v) {
  std::vector<uint64_t> found;
  const uint64_t mask = (uint64_t{1} << 48) - 1;
  uint64_t w = 0;
  const uint64_t n = uint64_t{v.size()} * 8;
  for (uint64_t i = 0; i < n; ++i) {
    w = ((w << 1) | GetBit(v, i)) & mask;
    if (i >= 47 && (w == kBlockMagic || w == kEndMagic))
      found.push_back(i - 47);
  }
  return found;
}

// ---- building valid streams ----

uint64_t Hash(const uint8_t* p, size_t n, uint64_t h) {
  for (size_t i = 0; i < n; ++i)
    h = (h ^ p[i]) * 0x100000001b3ULL;
  return h;
}

std::vector<uint8_t> MakeData(const uint8_t* payload,
                              size_t n,
                              size_t want,
                              fuzz::Choices* c) {
  std::vector<uint8_t> d(want);
  const int style = static_cast<int>(c->Next() % 4);
  size_t i = 0;
  while (i < want) {
    // Mixed: segments of the other styles.
    const int s = style == 3 ? static_cast<int>(c->Next() % 3) : style;
    const size_t seg =
        style == 3 ? std::min(want - i, c->Range(1, 60000)) : want - i;
    const size_t stop = i + seg;
    switch (s) {
      case 0:  // the payload tiled, each copy shifted by its index
        for (; i < stop; ++i)
          d[i] = n ? static_cast<uint8_t>(payload[i % n] + i / n)
                   : static_cast<uint8_t>(i * 7 + i / 251);
        break;
      case 1: {  // noise: about one block per 100 kB at level 1
        fuzz::Choices noise(c->Next());
        for (; i < stop; ++i)
          d[i] = static_cast<uint8_t>(noise.Next());
        break;
      }
      default: {  // runs of the payload's bytes, lengths from the payload
        size_t k = 0;
        while (i < stop) {
          const uint8_t b = n ? payload[k % n] : static_cast<uint8_t>(k);
          size_t run = n ? 1 + payload[(k + 1) % n] % 8 : 1;
          if (n && payload[(k + 2) % n] % 4 == 0)
            run = 1 + payload[(k + 3) % n] + (k & 7);  // around 4 and 255
          run = std::min(run, stop - i);
          std::memset(d.data() + i, b, run);
          i += run;
          k += 4;
        }
        break;
      }
    }
  }
  return d;
}

struct Base {
  uint64_t key = 0;
  std::vector<uint8_t> bytes;         // the streams back to back
  std::vector<uint64_t> magics;       // bits of every magic in them
  std::vector<size_t> stream_starts;  // byte offsets of the headers
  size_t plain = 0;                   // uncompressed bytes in all
};

// Compressing is most of the time of an execution, and many executions change
// only the header's later bytes: keep the last few bases.
const Base& BuildBase(const uint8_t* payload, size_t n, uint64_t seed) {
  static std::vector<std::unique_ptr<Base>> cache;
  const uint64_t key = Hash(payload, n, seed * 0x9e3779b97f4a7c15ULL + 1);
  for (const auto& b : cache)
    if (b->key == key)
      return *b;
  auto base = std::make_unique<Base>();
  base->key = key;
  fuzz::Choices c(key);
  const size_t streams = c.Next() % 4 == 0 ? c.Range(2, 3) : 1;
  for (size_t s = 0; s < streams; ++s) {
    const int level = static_cast<int>(c.Range(1, 3));
    size_t want;
    if (s == 0)
      want =
          c.Next() % 8 == 0 ? c.Range(150000, 700000) : c.Range(150000, 300000);
    else
      want = c.Next() % 3 == 0 ? c.Range(0, 64) : c.Range(0, 150000);
    std::vector<uint8_t> data = MakeData(payload, n, want, &c);
    std::vector<uint8_t> out(want * 2 + 1024);  // runs of 4 expand 5/4
    unsigned out_len = static_cast<unsigned>(out.size());
    char none = 0;  // libbzip2 refuses a null source, even of 0 bytes
    const int compressed = BZ2_bzBuffToBuffCompress(
        reinterpret_cast<char*>(out.data()), &out_len,
        data.empty() ? &none : reinterpret_cast<char*>(data.data()),
        static_cast<unsigned>(data.size()), level, 0, 0);
    if (compressed != BZ_OK)
      std::fprintf(stderr, "pdecode: compressing %zu bytes at level %d: %d\n",
                   want, level, compressed);
    FUZZ_CHECK(compressed == BZ_OK);
    base->stream_starts.push_back(base->bytes.size());
    base->bytes.insert(base->bytes.end(), out.begin(), out.begin() + out_len);
    base->plain += want;
  }
  base->magics = ScanMagics(base->bytes);
  if (cache.size() >= 4)
    cache.erase(cache.begin());
  cache.push_back(std::move(base));
  return *cache.back();
}

// A bit to mutate at: mostly at or near a real magic (its block header, the
// CRCs, the randomised bit, origPtr, the first tables follow it).
uint64_t PickBit(const std::vector<uint64_t>& magics,
                 uint64_t bits,
                 fuzz::Choices* c) {
  if (bits == 0)
    return 0;
  uint64_t at;
  if (!magics.empty() && c->Next() % 4 != 0) {
    const uint64_t m = magics[c->Range(0, magics.size() - 1)];
    const int64_t delta = c->Next() % 3 == 0
                              ? static_cast<int64_t>(c->Range(0, 400)) - 200
                              : static_cast<int64_t>(c->Range(0, 120)) - 8;
    const int64_t v = static_cast<int64_t>(m) + delta;
    at = v < 0 ? 0 : static_cast<uint64_t>(v);
  } else {
    at = c->Range(0, bits - 1);
  }
  return std::min(at, bits - 1);
}

void Forge(std::vector<uint8_t>* v, uint64_t bit, uint64_t magic) {
  for (int i = 0; i < 48; ++i) {
    if (bit + i >= uint64_t{v->size()} * 8)
      return;
    SetBit(v, bit + i, (magic >> (47 - i)) & 1);
  }
}

std::vector<uint8_t> Mutate(const Base& base,
                            fuzz::Choices* c,
                            char* what,
                            size_t what_len) {
  std::vector<uint8_t> v = base.bytes;
  std::vector<uint64_t> magics = base.magics;
  size_t mutations = c->Next() % 4 == 0 ? 0 : c->Range(1, 4);
  size_t w = 0;
  auto note = [&](const char* label, uint64_t a, uint64_t b) {
    if (w < what_len)
      w += static_cast<size_t>(std::snprintf(
          what + w, what_len - w, "%s@%" PRIu64 "/%" PRIu64 " ", label, a, b));
  };
  for (; mutations > 0; --mutations) {
    const uint64_t bits = uint64_t{v.size()} * 8;
    const uint64_t kind = c->Next() % 9;
    if (bits == 0 && kind != 8)
      continue;  // nothing left to change: only garbage may be added
    switch (kind) {
      case 0:
      case 1: {
        const uint64_t at = PickBit(magics, bits, c);
        const size_t flips = c->Range(1, 3);
        for (size_t i = 0; i < flips; ++i) {
          const uint64_t b = std::min(at + i * c->Range(1, 16), bits - 1);
          SetBit(&v, b, !GetBit(v, b));
        }
        note("flip", at, flips);
        break;
      }
      case 2: {
        const uint64_t at = PickBit(magics, bits, c);
        Forge(&v, at, kBlockMagic);
        note("block-magic", at, 0);
        break;
      }
      case 3: {
        const uint64_t at = PickBit(magics, bits, c);
        Forge(&v, at, kEndMagic);
        note("end-magic", at, 0);
        break;
      }
      case 4: {  // delete a bit range
        if (bits == 0)
          break;
        const uint64_t at = PickBit(magics, bits, c);
        uint64_t n = c->Next() % 2 ? c->Range(1, 64) : c->Range(1, 20000);
        n = std::min(n, bits - at);
        BitWriter bw;
        bw.Copy(v, 0, at);
        bw.Copy(v, at + n, bits - at - n);
        v = std::move(bw.bytes);
        for (auto& m : magics)
          if (m > at)
            m = m >= at + n ? m - n : at;
        note("delete", at, n);
        break;
      }
      case 5: {  // duplicate a block (magic to next magic) at a magic
        if (magics.size() < 2)
          break;
        const size_t i = c->Range(0, magics.size() - 2);
        const uint64_t from = magics[i];
        const uint64_t n = magics[i + 1] - from;
        const uint64_t at =
            std::min(magics[c->Range(0, magics.size() - 1)], bits);
        BitWriter bw;
        bw.Copy(v, 0, at);
        bw.Copy(v, from, n);
        bw.Copy(v, at, bits - at);
        v = std::move(bw.bytes);
        for (auto& m : magics)
          if (m >= at)
            m += n;
        note("dup-block", at, n);
        break;
      }
      case 6: {  // a stream header's level
        const size_t s = c->Range(0, base.stream_starts.size() - 1);
        const size_t at = base.stream_starts[s] + 3;
        if (at < v.size()) {
          v[at] = c->Next() % 8 ? static_cast<uint8_t>('1' + c->Range(0, 8))
                                : static_cast<uint8_t>(c->Next());
          note("level", at, v[at]);
        }
        break;
      }
      case 7: {  // truncate
        if (v.empty())
          break;
        const size_t at =
            c->Next() % 2 ? static_cast<size_t>(PickBit(magics, bits, c) / 8)
                          : c->Range(0, v.size() - 1);
        v.resize(at + (c->Next() % 2));
        note("truncate", at, 0);
        break;
      }
      default: {  // trailing garbage
        const size_t kind = c->Next() % 4;
        if (kind == 0) {
          const size_t n = c->Range(1, 16);
          for (size_t i = 0; i < n; ++i)
            v.push_back(static_cast<uint8_t>(c->Next()));
        } else if (kind == 1) {
          static const uint8_t kHead[] = {'B',  'Z',  'h',  '9',  0x31, 0x41,
                                          0x59, 0x26, 0x53, 0x59, 0};
          v.insert(v.end(), kHead, kHead + c->Range(1, sizeof kHead));
        } else if (kind == 2) {  // a prefix of the first stream
          const size_t n = std::min(base.bytes.size(), c->Range(1, 200));
          v.insert(v.end(), base.bytes.begin(), base.bytes.begin() + n);
        } else {  // "BZh" + level + an end magic + some CRC: an empty stream
          static const uint8_t kEmpty[] = {'B',  'Z',  'h',  '1',  0x17,
                                           0x72, 0x45, 0x38, 0x50, 0x90,
                                           0,    0,    0,    0};
          v.insert(v.end(), kEmpty, kEmpty + c->Range(4, sizeof kEmpty));
        }
        note("garbage", v.size(), kind);
        break;
      }
    }
  }
  return v;
}

// ---- driving the decoders ----

struct Outcome {
  std::vector<uint8_t> out;
  int ret = 0;  // the first negative ret
  bool too_large = false;
  size_t streams_ended = 0;
  uint64_t last_end_output = 0;  // total output at the last stream end
  bool in_stream = false;
  size_t calls = 0;
};

void Record(const OutputBuffer& buf,
            const DecodeResult& r,
            size_t limit,
            size_t offered,
            Outcome* o) {
  FUZZ_CHECK(buf.size() <= limit);
  FUZZ_CHECK(r.consumed <= offered);
  FUZZ_CHECK(r.last_end_output <= buf.size());
  if (r.streams_ended > 0)
    o->last_end_output = o->out.size() + r.last_end_output;
  o->streams_ended += r.streams_ended;
  o->out.insert(o->out.end(), buf.data(), buf.data() + buf.size());
  FUZZ_CHECK(r.ret <= 0);
}

Outcome RunReference(const uint8_t* in, size_t len, uint64_t limit) {
  Outcome o;
  StreamDecoder d(Streams::kConcatenated);
  const size_t cut = static_cast<size_t>(limit + 1);
  bool first = true;
  for (;;) {
    const size_t n = first ? len : 0;
    const size_t room = cut - o.out.size();
    OutputBuffer buf;
    const DecodeResult r = d.Run(in, n, &buf, room, true);
    ++o.calls;
    Record(buf, r, room, n, &o);
    // All the input, or the limit, or a failure (perhaps held back, after a
    // stream end or output in the call: the next call returns it).
    if (first && r.ret == 0 && o.out.size() < cut && r.consumed < len)
      FUZZ_CHECK(!d.needs_input());
    first = false;
    if (r.ret < 0) {
      o.ret = r.ret;
      break;
    }
    if (o.out.size() > limit) {
      o.too_large = true;
      break;
    }
    if (d.needs_input())
      break;
    FUZZ_CHECK(o.calls < 1000);
  }
  o.in_stream = d.in_stream();
  return o;
}

struct Plan {
  size_t threads = 2;
  uint64_t decoder_limit = kMaxSafeInteger;  // the ParallelDecoder's
  uint64_t limit = 0;                        // the harness's, <= kHarnessCap
  std::vector<size_t> chunk_ends;            // pushes: input [prev, end)
  bool end_with_last_push = true;
  size_t step_input = kNoStep;  // most bytes a step offers
  int step_output_kind = 0;
  size_t step_output = kNoStep;
  uint64_t step_seed = 0;
};

size_t NextStepOutput(const Plan& plan, fuzz::Choices* c) {
  switch (plan.step_output_kind) {
    case 0:
      return kNoStep;
    case 1:
      return plan.step_output;
    default:
      switch (c->Next() % 4) {
        case 0:
          return c->Range(1, 16);
        case 1:
          return c->Range(1, 1 << 17);
        default:
          return kNoStep;
      }
  }
}

Outcome RunCandidate(const uint8_t* in, size_t len, const Plan& plan) {
  Outcome o;
  const size_t running = bz2napi::WorkerPool::Get().Reserve(plan.threads);
  FUZZ_CHECK(running >= 1);
  ParallelDecoder d(std::min(plan.threads, running), plan.decoder_limit);
  fuzz::Choices steps(plan.step_seed);
  const size_t max_calls = 100000 + 10 * len;
  size_t pos = 0;     // input used
  size_t pushed = 0;  // input queued
  size_t head = 0;    // index of the chunk holding `pos`
  bool input_ended = false;
  bool told_last = false;
  bool stop = false;
  auto run_steps = [&]() {
    while (!stop) {
      // ConcatenatedDecoder.#next
      const uint8_t* data = nullptr;
      size_t n = 0;
      if (d.needs_input()) {
        if (pos == pushed) {
          if (!input_ended || told_last)
            return;
        } else {
          while (plan.chunk_ends[head] <= pos)
            ++head;
          n = std::min(plan.chunk_ends[head] - pos, plan.step_input);
          data = in + pos;
        }
      }
      const size_t room = static_cast<size_t>(plan.limit + 1 - o.out.size());
      const size_t max_length = std::min(room, NextStepOutput(plan, &steps));
      const bool last = input_ended && n == pushed - pos;
      OutputBuffer buf;
      const DecodeResult r = d.Run(data, n, &buf, max_length, last);
      if (++o.calls > max_calls) {
        std::fprintf(stderr,
                     "pdecode: %zu calls for %zu input bytes: no progress "
                     "(pos %zu of %zu pushed, output %zu, needs_input %d)\n",
                     o.calls, len, pos, pushed, o.out.size(), d.needs_input());
        std::abort();
      }
      Record(buf, r, max_length, n, &o);
      if (r.ret < 0) {
        o.ret = r.ret;
        stop = true;
        return;
      }
      if (last && r.consumed == n)
        told_last = true;
      pos += r.consumed;
      if (o.out.size() > plan.limit) {
        o.too_large = true;
        stop = true;
        return;
      }
    }
  };
  for (size_t i = 0; i < plan.chunk_ends.size() && !stop; ++i) {
    pushed = plan.chunk_ends[i];
    if (i + 1 == plan.chunk_ends.size() && plan.end_with_last_push)
      input_ended = true;
    run_steps();
  }
  if (!stop && !input_ended) {
    input_ended = true;
    run_steps();
  }
  o.in_stream = d.in_stream();
  return o;
}

const char* Verdict(const Outcome& o) {
  if (o.ret < 0)
    return "failed";
  if (o.too_large)
    return "over the limit";
  return o.in_stream ? "ended inside a stream" : "ended cleanly";
}

void Report(const char* why,
            const std::vector<uint8_t>& input,
            const Plan& plan,
            const char* what,
            const Outcome& ref,
            const Outcome& ours) {
  size_t diff = 0;
  const size_t common = std::min(ref.out.size(), ours.out.size());
  while (diff < common && ref.out[diff] == ours.out[diff])
    ++diff;
  size_t lo = SIZE_MAX, hi = 0, prev = 0;
  for (size_t e : plan.chunk_ends) {
    lo = std::min(lo, e - prev);
    hi = std::max(hi, e - prev);
    prev = e;
  }
  std::fprintf(
      stderr,
      "pdecode MISMATCH: %s\n"
      "  input %zu bytes (%s), threads %zu, decoder limit %" PRIu64
      ", harness limit %" PRIu64
      "\n"
      "  %zu chunks (%zu..%zu bytes), end %s, step input %zd, "
      "step output kind %d (%zd)\n"
      "  output: first difference at %zu (of %zu common)\n"
      "  reference: %s ret %d, %zu bytes, %zu streams ended (last at "
      "%" PRIu64
      "), in_stream %d, %zu calls\n"
      "  parallel:  %s ret %d, %zu bytes, %zu streams ended (last at "
      "%" PRIu64 "), in_stream %d, %zu calls\n",
      why, input.size(), what, plan.threads, plan.decoder_limit, plan.limit,
      plan.chunk_ends.size(), plan.chunk_ends.empty() ? 0 : lo, hi,
      plan.end_with_last_push ? "with the last chunk" : "after it",
      plan.step_input == kNoStep ? -1 : static_cast<ssize_t>(plan.step_input),
      plan.step_output_kind,
      plan.step_output == kNoStep ? -1 : static_cast<ssize_t>(plan.step_output),
      diff, common, Verdict(ref), ref.ret, ref.out.size(), ref.streams_ended,
      ref.last_end_output, ref.in_stream, ref.calls, Verdict(ours), ours.ret,
      ours.out.size(), ours.streams_ended, ours.last_end_output, ours.in_stream,
      ours.calls);
  std::abort();
}

void Compare(const std::vector<uint8_t>& input,
             const Plan& plan,
             const char* what,
             const Outcome& ref,
             const Outcome& ours) {
  auto fail = [&](const char* why) {
    Report(why, input, plan, what, ref, ours);
  };
  const size_t common = std::min(ref.out.size(), ours.out.size());
  if (common > 0 && std::memcmp(ref.out.data(), ours.out.data(), common) != 0)
    fail("output bytes differ");
  if ((ref.ret < 0) != (ours.ret < 0) || ref.ret != ours.ret)
    fail("failure codes differ");
  if (ref.too_large != ours.too_large)
    fail("one passed the output limit, the other did not");
  if (ref.ret < 0) {
    // What libbzip2 wrote in the call that failed may go uncounted (it
    // returns without storing avail_out), by how much depending on the
    // output slices: only the bytes must agree (checked above), and nothing
    // of the complete streams may be lost.
    if (ref.streams_ended != ours.streams_ended)
      fail("streams ended differ (failed)");
    if (ref.last_end_output != ours.last_end_output)
      fail("output at the last stream end differs (failed)");
    if (ours.out.size() < ref.last_end_output)
      fail("output of complete streams lost (failed)");
    if (ref.in_stream != ours.in_stream)
      fail("in_stream differs (failed)");
    if (std::getenv("PDECODE_STRICT") && ref.out.size() != ours.out.size())
      fail("output lengths differ (failed; PDECODE_STRICT)");
    return;
  }
  if (ref.out.size() != ours.out.size())
    fail("output lengths differ");
  if (ref.too_large)
    return;  // either may or may not have read the stream end at the cut
  if (ref.streams_ended != ours.streams_ended)
    fail("streams ended differ");
  if (ref.streams_ended > 0 && ref.last_end_output != ours.last_end_output)
    fail("output at the last stream end differs");
  if (ref.in_stream != ours.in_stream)
    fail("in_stream differs");
}

std::vector<size_t> Chunking(const std::vector<uint8_t>& input,
                             bool styled,
                             fuzz::Choices* c) {
  const size_t len = input.size();
  std::vector<size_t> ends;
  int style = styled ? static_cast<int>(c->Next() % 3) : 3;
  if (style == 0) {  // fixed size, no more than 20000 chunks
    size_t k = size_t{1} << c->Range(0, 20);
    k = std::max(k, len / 20000 + 1);
    for (size_t e = k; e < len; e += k)
      ends.push_back(e);
  } else if (style == 1) {  // around magics: a magic split across chunks
    const std::vector<uint64_t> magics = ScanMagics(input);
    if (!magics.empty()) {
      const size_t n = c->Range(1, 12);
      for (size_t i = 0; i < n; ++i) {
        const int64_t at =
            static_cast<int64_t>(magics[c->Range(0, magics.size() - 1)] / 8) +
            static_cast<int64_t>(c->Range(0, 16)) - 6;
        if (at > 0 && static_cast<size_t>(at) < len)
          ends.push_back(static_cast<size_t>(at));
      }
      std::sort(ends.begin(), ends.end());
      ends.erase(std::unique(ends.begin(), ends.end()), ends.end());
    }
  } else if (style == 3) {
    size_t pos = 0;
    while (pos < len) {
      pos += c->Chunk(len - pos);
      if (pos < len)
        ends.push_back(pos);
      if (ends.size() > 20000) {
        break;
      }
    }
  }
  ends.push_back(len);  // style 2: whole
  return ends;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < fuzz::kHeader)
    return 0;
  const uint8_t flags = data[0];
  fuzz::Choices c(fuzz::HeaderSeed(data));
  const uint8_t* payload = data + fuzz::kHeader;
  const size_t n = size - fuzz::kHeader;

  const auto start = std::chrono::steady_clock::now();
  char what[512] = "raw";
  std::vector<uint8_t> input;
  uint64_t plain = 0;
  const bool built = (flags >> 2) & 3;
  if (built) {
    // The base depends on the payload and byte 1 alone, so changes to the
    // rest of the header reuse it.
    const Base& base = BuildBase(payload, n, data[1]);
    int w = std::snprintf(what, sizeof what, "built: %zu streams, %zu bytes: ",
                          base.stream_starts.size(), base.bytes.size());
    input = Mutate(base, &c, what + w, sizeof what - w);
    plain = base.plain;
    if (std::getenv("PDECODE_VERBOSE"))
      std::fprintf(stderr, "pdecode: built in %lld ms\n",
                   static_cast<long long>(
                       std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::steady_clock::now() - start)
                           .count()));
  } else {
    input.assign(payload, payload + n);
    plain = n * 50;
  }

  Plan plan;
  plan.threads = 2 + (flags & 3) % 3;
  if (((flags >> 4) & 3) == 3) {
    switch (c.Next() % 3) {
      case 0:
        plan.decoder_limit = c.Range(0, 16);
        break;
      default:
        plan.decoder_limit = c.Range(0, plain + 16);
        break;
    }
  }
  plan.limit = std::min(plan.decoder_limit, kHarnessCap);
  plan.end_with_last_push = (flags >> 6) & 1;
  plan.chunk_ends = Chunking(input, (flags >> 7) & 1, &c);
  switch (c.Next() % 8) {
    case 0:
      plan.step_input = 1 << 20;  // DECOMPRESS_INPUT_UNIT
      break;
    case 1:
      plan.step_input = c.Range(1, 65536);
      break;
    default:
      plan.step_input = kNoStep;
      break;
  }
  plan.step_output_kind = static_cast<int>(c.Next() % 3);
  if (plan.step_output_kind == 1) {
    plan.step_output = c.Next() % 2 ? size_t{1} << 20  // DECOMPRESS_OUTPUT_UNIT
                                    : c.Range(1, 1 << 17);
    plan.step_output = std::max<size_t>(plan.step_output, plan.limit / 20000);
  }
  plan.step_seed = c.Next();

  if (const char* dump = std::getenv("PDECODE_DUMP")) {
    if (FILE* f = std::fopen(dump, "wb")) {
      std::fwrite(input.data(), 1, input.size(), f);
      std::fclose(f);
    }
  }

  using Clock = std::chrono::steady_clock;
  const auto t0 = Clock::now();
  const Outcome ref = RunReference(input.data(), input.size(), plan.limit);
  const auto t1 = Clock::now();
  const Outcome ours = RunCandidate(input.data(), input.size(), plan);
  const auto t2 = Clock::now();
  if (std::getenv("PDECODE_VERBOSE")) {
    auto ms = [](Clock::duration d) {
      return static_cast<long long>(
          std::chrono::duration_cast<std::chrono::milliseconds>(d).count());
    };
    std::fprintf(stderr,
                 "pdecode: %s; %zu bytes, threads %zu, limit %" PRIu64
                 ", %zu chunks; reference %s %d %zu bytes (%lld ms), "
                 "parallel %s %d %zu bytes in %zu calls (%lld ms)\n",
                 what, input.size(), plan.threads, plan.limit,
                 plan.chunk_ends.size(), Verdict(ref), ref.ret, ref.out.size(),
                 ms(t1 - t0), Verdict(ours), ours.ret, ours.out.size(),
                 ours.calls, ms(t2 - t1));
  }
  Compare(input, plan, what, ref, ours);
  return 0;
}
