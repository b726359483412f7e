// The block codec (src/codec: the rotation sort, then the writer) must write
// exactly the bits of libbzip2's BZ2_compressBlock for every block. Ours sorts
// in the EState's own arrays as BlockEncoder does, periodic blocks by
// BZ2_blockSort. On a difference the writer is run once more on
// BZ2_blockSort's order, so that the failure names the stage that made it.
//
// Blocks are the payload itself or built from it, so that big and structured
// blocks occur: tiled, periodic, near-periodic, Fibonacci and Thue-Morse
// words over two of its bytes, runs, two symbols at random.
//
// Header byte 0: bits 0-2 the shape, bits 4-7 the level (1 + n % 9, the
// largest block). Bytes 1-7 seed the rest. The payload follows.
#include <cstring>
#include <vector>

#include "codec/bit_writer.h"
#include "codec/block_writer.h"
#include "codec/rotation_sort.h"
#include "fuzz_util.h"

extern "C" {
#include "bzlib_private.h"
}

namespace {

// A compressor's state with its arrays, from libbzip2's own init.
class State {
 public:
  explicit State(int level) {
    std::memset(&strm_, 0, sizeof strm_);
    FUZZ_CHECK(BZ2_bzCompressInit(&strm_, level, 0, 30) == BZ_OK);
  }
  ~State() { BZ2_bzCompressEnd(&strm_); }
  EState* operator->() { return get(); }
  EState* get() { return static_cast<EState*>(strm_.state); }

  // The block as bzlib.c leaves it before BZ2_compressBlock.
  void Load(const std::vector<uint8_t>& block, uint32_t crc) {
    EState* s = get();
    std::memcpy(s->block, block.data(), block.size());
    s->nblock = static_cast<Int32>(block.size());
    std::memset(s->inUse, 0, sizeof s->inUse);
    for (uint8_t b : block)
      s->inUse[b] = True;
    s->blockCRC = crc;
    s->blockNo = 2;  // no stream header; the bits start at bit 0
    s->numZ = 0;
    s->bsBuff = 0;
    s->bsLive = 0;
  }

 private:
  bz_stream strm_;
};

std::vector<uint8_t> Shape(const uint8_t* data, size_t size, int level) {
  fuzz::Choices choices(fuzz::HeaderSeed(data));
  const uint8_t* payload = data + fuzz::kHeader;
  const size_t n = size - fuzz::kHeader;
  const size_t most = static_cast<size_t>(100000 * level - 19);
  std::vector<uint8_t> block;
  const uint8_t a = n > 0 ? payload[0] : 'a';
  const uint8_t b = n > 1 ? payload[1] : 'b';
  // Mostly small blocks (fast executions), one in 16 up to the level's most.
  const uint64_t pick = choices.Next() % 16;
  const size_t cap = pick < 6    ? 64
                     : pick < 12 ? 5000
                     : pick < 15 ? 50000
                                 : most;
  const size_t want = choices.Range(1, cap < most ? cap : most);
  switch (data[0] & 7) {
    case 0:  // the payload as it is
      block.assign(payload, payload + (n < most ? n : most));
      break;
    case 1:  // tiled, each copy shifted by its index
      if (n == 0)
        break;
      block.resize(want);
      for (size_t i = 0; i < want; ++i)
        block[i] = static_cast<uint8_t>(payload[i % n] + i / n);
      break;
    case 2:    // periodic: the payload's first bytes over and over
    case 7: {  // near-periodic: the same with a few bytes changed
      if (n == 0)
        break;
      // Mostly short periods; one in four up to 4096 bytes (near-periodic
      // blocks of long periods exhaust libbzip2's work budget).
      const size_t longest = choices.Next() % 4 == 0 ? 4096 : 16;
      const size_t period = choices.Range(1, n < longest ? n : longest);
      block.resize(want);
      for (size_t i = 0; i < want; ++i)
        block[i] = payload[i % period];
      if ((data[0] & 7) == 7) {
        for (size_t k = choices.Range(1, 4); k > 0; --k)
          block[choices.Range(0, want - 1)] ^= 1;
      }
      break;
    }
    case 3: {  // Fibonacci word over a, b
      std::vector<uint8_t> x{a}, y{a, b};
      while (y.size() < want) {
        std::vector<uint8_t> z = y;
        z.insert(z.end(), x.begin(), x.end());
        x.swap(y);
        y.swap(z);
      }
      block.assign(y.begin(), y.begin() + static_cast<std::ptrdiff_t>(want));
      break;
    }
    case 4:  // Thue-Morse word over a, b
      block.resize(want);
      for (size_t i = 0; i < want; ++i)
        block[i] = (__builtin_popcountll(i) & 1) ? b : a;
      break;
    case 5:  // runs: each payload byte pair is a byte and its run length
      for (size_t i = 0; i + 1 < n && block.size() < most; i += 2) {
        const size_t run = 1 + payload[i + 1] % 64;
        block.insert(block.end(),
                     run < most - block.size() ? run : most - block.size(),
                     payload[i]);
      }
      break;
    case 6:  // two symbols at random
      block.resize(want);
      for (size_t i = 0; i < want; ++i)
        block[i] = (choices.Next() & 1) ? b : a;
      break;
  }
  return block;
}

// A block's bits and their count.
struct Bits {
  std::vector<uint8_t> bytes;
  uint64_t count = 0;
  bool operator==(const Bits& other) const {
    return count == other.count && bytes == other.bytes;
  }
};

// The block through our sort (else libbzip2's) and our writer, sorting in the
// EState's own arrays as BlockEncoder does.
Bits Ours(const std::vector<uint8_t>& block,
          uint32_t crc,
          int level,
          bool our_sort) {
  State sorted(level);
  sorted.Load(block, crc);
  const size_t area =
      (100000 * static_cast<size_t>(level) + BZ_N_OVERSHOOT) * sizeof(UInt32);
  const uint8_t* text = sorted->block;
  if (!our_sort ||
      bz2napi::codec::SortRotations(sorted->block, sorted->nblock, area,
                                    sorted->ptr, &sorted->origPtr, &text) !=
          bz2napi::codec::RotationSort::kSorted) {
    BZ2_blockSort(sorted.get());
    text = sorted->block;
  }
  bz2napi::codec::SortedBlock in;
  in.data = text;
  in.length = sorted->nblock;
  in.ptr = sorted->ptr;
  in.orig_ptr = sorted->origPtr;
  in.crc = ~crc;  // BZ2_compressBlock finalises the CRC before writing it
  Bits out;
  out.bytes.resize(bz2napi::codec::BlockWriter::MaxBytes(
      static_cast<int32_t>(block.size())));
  bz2napi::codec::BitWriter bits(out.bytes.data(), out.bytes.size());
  bz2napi::codec::BlockWriter writer;
  FUZZ_CHECK(writer.Write(in, &bits));
  out.count = bits.Finish();
  FUZZ_CHECK(bits.fits());
  out.bytes.resize((out.count + 7) / 8);
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < fuzz::kHeader)
    return 0;
  const int level = 1 + (data[0] >> 4) % 9;
  const std::vector<uint8_t> block = Shape(data, size, level);
  if (block.empty())
    return 0;
  uint32_t crc;
  std::memcpy(&crc, data + 1, sizeof crc);

  // libbzip2: sort and write.
  State reference(level);
  reference.Load(block, crc);
  BZ2_compressBlock(reference.get(), False);
  std::vector<uint8_t> want(reference->zbits,
                            reference->zbits + reference->numZ);
  const uint64_t want_bits =
      static_cast<uint64_t>(reference->numZ) * 8 + reference->bsLive;
  for (UInt32 buffer = reference->bsBuff, live = reference->bsLive; live > 0;
       live = live >= 8 ? live - 8 : 0, buffer <<= 8)
    want.push_back(static_cast<uint8_t>(buffer >> 24));

  // Ours: our sort (libbzip2's for a periodic block) and our writer. Only
  // if they differ, libbzip2's sort and our writer, to tell which stage did.
  const Bits reference_bits{want, want_bits};
  if (Ours(block, crc, level, true) == reference_bits)
    return 0;
  FUZZ_CHECK(Ours(block, crc, level, false) == reference_bits &&
             "the writer differs (on libbzip2's own sort)");
  FUZZ_CHECK(!"the sort differs (the writer agrees on libbzip2's sort)");
  return 0;
}
