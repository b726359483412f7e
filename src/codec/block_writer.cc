#include "codec/block_writer.h"

#include <cstring>
#include <new>

#if defined(__SSE2__) || defined(_M_X64)
#include <emmintrin.h>
#define BZ2_NAPI_SSE2 1
#endif

#include "codec/intrinsics.h"

extern "C" {
#include "bzlib_private.h"
}

namespace bz2napi {
namespace codec {

namespace {

constexpr int kRunA = 0;
constexpr int kRunB = 1;
constexpr int kMaxGroups = 6;
constexpr int kGroupSize = 50;  // symbols coded with one selector
constexpr int kPasses = 4;
constexpr int kMaxCodeLength = 17;  // libbzip2 since 1.0.3
constexpr int kMaxAlphabet = 258;
constexpr int kMaxSelectors = 2 + 900000 / kGroupSize;
// Initial code lengths: 0 for the symbols a table starts with, 15 for others.
constexpr uint8_t kLesserCost = 0;
constexpr uint8_t kGreaterCost = 15;
constexpr int32_t kPrefetch = 32;  // rotations ahead

// The MTF values live in the ptr array's memory (4 bytes an entry, 2 used),
// written only at indexes already read: reached through bytes, not through a
// second pointer type.
inline uint32_t LoadPtr(const uint32_t* ptr, int32_t i) {
  uint32_t value;
  std::memcpy(
      &value,
      reinterpret_cast<const unsigned char*>(ptr) + 4 * static_cast<size_t>(i),
      sizeof value);
  return value;
}

class Symbols {
 public:
  explicit Symbols(uint32_t* memory)
      : bytes_(reinterpret_cast<unsigned char*>(memory)) {}
  void Set(int32_t i, uint16_t value) {
    std::memcpy(bytes_ + 2 * static_cast<size_t>(i), &value, sizeof value);
  }
  uint16_t operator[](int32_t i) const {
    uint16_t value;
    std::memcpy(&value, bytes_ + 2 * static_cast<size_t>(i), sizeof value);
    return value;
  }

 private:
  unsigned char* bytes_;
};

}  // namespace

struct BlockWriter::Coding {
  bool in_use[256] = {};
  int32_t symbols = 0;  // nMTF: MTF values, zero-run symbols and EOB
  // RUNA, RUNB, the indexes 1 .. used - 1 (as 2 .. used) and EOB (used + 1).
  int alphabet = 0;
  int groups = 0;
  int32_t selectors = 0;
  int32_t freq[kMaxAlphabet] = {};
  uint8_t length[kMaxGroups][kMaxAlphabet] = {};
  int32_t code[kMaxGroups][kMaxAlphabet] = {};
  int32_t table_freq[kMaxGroups][kMaxAlphabet] = {};
  uint8_t selector[kMaxSelectors] = {};
  uint8_t selector_mtf[kMaxSelectors] = {};
};

namespace {

using Coding = BlockWriter::Coding;

// Appends the zero-run symbols for `zeros` repeats of the front symbol:
// zeros + 1 written in bijective base 2, RUNA for digit 1 and RUNB for 2,
// least significant first.
inline int32_t PutZeros(int32_t zeros,
                        Symbols* out,
                        int32_t at,
                        int32_t* freq) {
  uint32_t left = static_cast<uint32_t>(zeros) - 1;
  for (;;) {
    const int symbol = (left & 1) ? kRunB : kRunA;
    out->Set(at++, static_cast<uint16_t>(symbol));
    ++freq[symbol];
    if (left < 2)
      break;
    left = (left - 2) / 2;
  }
  return at;
}

#if !BZ2_NAPI_SSE2
// Words are read with memcpy and taken apart as little-endian (every target
// Node runs on; MSVC targets all are).
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the list search reads bytes in little-endian order"
#endif

// Index of the lowest byte of `flags` (not 0) that has its high bit set.
inline int LowestByte(uint64_t flags) {
  return LowestBit(flags) >> 3;
}
#endif

// Where `symbol` is in the MTF list (it is there; the list has 16 readable
// bytes past its end): 16 bytes at a time with SSE2, else 8 in a word.
inline int Find(const uint8_t* order, uint8_t symbol) {
#if BZ2_NAPI_SSE2
  const __m128i pattern = _mm_set1_epi8(static_cast<char>(symbol));
  for (int base = 0;; base += 16) {
    const __m128i block =
        _mm_loadu_si128(reinterpret_cast<const __m128i*>(order + base));
    const int mask = _mm_movemask_epi8(_mm_cmpeq_epi8(block, pattern));
    if (mask != 0)
      return base + LowestBit(static_cast<uint32_t>(mask));
  }
#else
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  constexpr uint64_t kHighs = 0x8080808080808080ULL;
  const uint64_t pattern = kOnes * symbol;
  for (int base = 0;; base += 8) {
    uint64_t word;
    std::memcpy(&word, order + base, sizeof word);
    const uint64_t x = word ^ pattern;
    // The lowest flagged byte is the first equal one (exact; only bytes
    // above it may be flagged wrongly).
    const uint64_t flags = (x - kOnes) & ~x & kHighs;
    if (flags != 0)
      return base + LowestByte(flags);
  }
#endif
}

// generateMTFValues: the last column of the sorted rotations, byte by byte,
// as move-to-front indexes over the used bytes, runs of index 0 as zero runs.
void MoveToFront(const SortedBlock& block, Symbols* out, Coding* c) {
  // Which byte values occur, found here rather than trusted from the caller:
  // the list search below relies on it.
  std::memset(c->in_use, 0, sizeof c->in_use);
  for (int32_t i = 0; i < block.length; ++i)
    c->in_use[block.data[i]] = true;
  uint8_t rank[256];
  int used = 0;
  for (int b = 0; b < 256; ++b) {
    if (c->in_use[b])
      rank[b] = static_cast<uint8_t>(used++);
  }
  const int end_of_block = used + 1;
  c->alphabet = used + 2;
  for (int v = 0; v <= end_of_block; ++v)
    c->freq[v] = 0;

  // The MTF list, with room for a vector read past its last entry.
  uint8_t order[256 + 16] = {};
  for (int k = 0; k < used; ++k)
    order[k] = static_cast<uint8_t>(k);

  const int32_t n = block.length;
  // First the last column, as ranks, into the top quarter of ptr's memory:
  // from the end, so that each byte lands where ptr was read already (byte
  // 3 n + i, past entry i). A loop of independent reads all over the block,
  // asked for a few dozen rotations ahead, so that many are in flight.
  unsigned char* column =
      reinterpret_cast<unsigned char*>(block.ptr) + 3 * static_cast<size_t>(n);
  for (int32_t i = n - 1; i >= 0; --i) {
    if (i >= kPrefetch) {
      const uint32_t ahead = LoadPtr(block.ptr, i - kPrefetch);
      PrefetchRead(block.data + (ahead == 0 ? 0 : ahead - 1));
    }
    const uint32_t start = LoadPtr(block.ptr, i);
    const int32_t before = start == 0 ? n - 1 : static_cast<int32_t>(start) - 1;
    column[i] = rank[block.data[before]];
  }
  // Then the MTF values over it, the w-th at bytes 2 w and 2 w + 1: after
  // column[i] is read, w <= i + 1, so they stay below byte 3 n + i + 1, the
  // next one to read.
  int32_t written = 0;
  int32_t zeros = 0;
  for (int32_t i = 0; i < n; ++i) {
    const uint8_t symbol = column[i];
    if (order[0] == symbol) {
      ++zeros;
      continue;
    }
    if (zeros > 0) {
      written = PutZeros(zeros, out, written, c->freq);
      zeros = 0;
    }
    // The symbol's place in the list: text finds most within the first few,
    // binary data far down, which a word at a time finds faster.
    int k = 1;
    if (order[1] != symbol) {
      if (order[2] == symbol) {
        k = 2;
      } else {
        k = Find(order, symbol);
      }
    }
    // Everything before it moves down one place; it goes to the front.
    if (k < 16) {
      for (int m = k; m > 0; --m)
        order[m] = order[m - 1];
    } else {
      std::memmove(order + 1, order, static_cast<size_t>(k));
    }
    order[0] = symbol;
    out->Set(written++, static_cast<uint16_t>(k + 1));
    ++c->freq[k + 1];
  }
  if (zeros > 0)
    written = PutZeros(zeros, out, written, c->freq);
  out->Set(written++, static_cast<uint16_t>(end_of_block));
  ++c->freq[end_of_block];
  c->symbols = written;
}

int TableCount(int32_t symbols) {
  if (symbols < 200)
    return 2;
  if (symbols < 600)
    return 3;
  if (symbols < 1200)
    return 4;
  if (symbols < 2400)
    return 5;
  return 6;
}

// The starting tables: the alphabet cut into `groups` ranges of about equal
// total frequency, each table cheap on its own range.
void InitialTables(Coding* c) {
  const int groups = c->groups;
  int32_t remaining = c->symbols;
  int first = 0;
  for (int part = groups; part > 0; --part) {
    const int32_t target = remaining / part;
    int last = first - 1;
    int32_t taken = 0;
    while (taken < target && last < c->alphabet - 1) {
      ++last;
      taken += c->freq[last];
    }
    // Every other range between the first and the last gives its last symbol
    // back (compress.c's rule, kept for its bytes).
    if (last > first && part != groups && part != 1 &&
        (groups - part) % 2 == 1) {
      taken -= c->freq[last];
      --last;
    }
    uint8_t* length = c->length[part - 1];
    for (int v = 0; v < c->alphabet; ++v)
      length[v] = (v >= first && v <= last) ? kLesserCost : kGreaterCost;
    first = last + 1;
    remaining -= taken;
  }
}

// One refinement pass: each group of 50 symbols picks the table that codes
// it in the fewest bits (the first such table on a tie), the symbols are
// counted per table, and each table's lengths are rebuilt from its counts.
void RefineTables(const Symbols& symbols, Coding* c) {
  const int groups = c->groups;
  const int alphabet = c->alphabet;
  // Code lengths of tables 0-3 and 4-5 in 16-bit lanes: a group's costs sum
  // in two additions a symbol (50 x 17 bits fits a lane).
  uint64_t low[kMaxAlphabet];
  uint32_t high[kMaxAlphabet];
  for (int v = 0; v < alphabet; ++v) {
    uint64_t l = 0;
    uint32_t h = 0;
    for (int t = 0; t < groups && t < 4; ++t)
      l |= static_cast<uint64_t>(c->length[t][v]) << (16 * t);
    for (int t = 4; t < groups; ++t)
      h |= static_cast<uint32_t>(c->length[t][v]) << (16 * (t - 4));
    low[v] = l;
    high[v] = h;
  }
  for (int t = 0; t < groups; ++t)
    std::memset(c->table_freq[t], 0, sizeof c->table_freq[t]);

  int32_t count = 0;
  for (int32_t start = 0; start < c->symbols; start += kGroupSize) {
    const int32_t end =
        c->symbols - start < kGroupSize ? c->symbols : start + kGroupSize;
    uint64_t l = 0;
    uint32_t h = 0;
    for (int32_t i = start; i < end; ++i) {
      const uint16_t v = symbols[i];
      l += low[v];
      h += high[v];
    }
    const uint32_t cost[kMaxGroups] = {
        static_cast<uint32_t>(l & 0xffff),
        static_cast<uint32_t>((l >> 16) & 0xffff),
        static_cast<uint32_t>((l >> 32) & 0xffff),
        static_cast<uint32_t>(l >> 48),
        h & 0xffff,
        h >> 16};
    int best = 0;
    for (int t = 1; t < groups; ++t) {
      if (cost[t] < cost[best])
        best = t;
    }
    c->selector[count++] = static_cast<uint8_t>(best);
    int32_t* freq = c->table_freq[best];
    for (int32_t i = start; i < end; ++i)
      ++freq[symbols[i]];
  }
  c->selectors = count;
  for (int t = 0; t < groups; ++t) {
    BZ2_hbMakeCodeLengths(c->length[t], c->table_freq[t], alphabet,
                          kMaxCodeLength);
  }
}

void SelectorsToFront(Coding* c) {
  uint8_t order[kMaxGroups];
  for (int t = 0; t < c->groups; ++t)
    order[t] = static_cast<uint8_t>(t);
  for (int32_t i = 0; i < c->selectors; ++i) {
    const uint8_t selector = c->selector[i];
    int k = 0;
    uint8_t carried = order[0];
    while (carried != selector) {
      ++k;
      const uint8_t next = order[k];
      order[k] = carried;
      carried = next;
    }
    order[0] = selector;
    c->selector_mtf[i] = static_cast<uint8_t>(k);
  }
}

void AssignCodes(Coding* c) {
  for (int t = 0; t < c->groups; ++t) {
    int shortest = 32;
    int longest = 0;
    for (int v = 0; v < c->alphabet; ++v) {
      const int length = c->length[t][v];
      if (length > longest)
        longest = length;
      if (length < shortest)
        shortest = length;
    }
    BZ2_hbAssignCodes(c->code[t], c->length[t], shortest, longest, c->alphabet);
  }
}

void PutHeader(const SortedBlock& block, BitWriter* out) {
  out->Put(24, 0x314159);
  out->Put(24, 0x265359);
  out->Put32(block.crc);
  out->Put(1, 0);  // not randomised
  out->Put(24, static_cast<uint32_t>(block.orig_ptr));
}

// Which bytes the block uses: a bit per 16 values, then 16 bits for each
// such range that has any.
void PutSymbolMap(const Coding& c, BitWriter* out) {
  uint32_t ranges = 0;
  for (int r = 0; r < 16; ++r) {
    for (int b = 0; b < 16; ++b) {
      if (c.in_use[r * 16 + b])
        ranges |= 0x8000u >> r;
    }
  }
  out->Put(16, ranges);
  for (int r = 0; r < 16; ++r) {
    if ((ranges & (0x8000u >> r)) == 0)
      continue;
    uint32_t bits = 0;
    for (int b = 0; b < 16; ++b) {
      if (c.in_use[r * 16 + b])
        bits |= 0x8000u >> b;
    }
    out->Put(16, bits);
  }
}

void PutTables(const Coding& c, BitWriter* out) {
  out->Put(3, static_cast<uint32_t>(c.groups));
  out->Put(15, static_cast<uint32_t>(c.selectors));
  for (int32_t i = 0; i < c.selectors; ++i) {
    const int k = c.selector_mtf[i];  // k ones, then a zero
    out->Put(k + 1, ((1u << k) - 1) << 1);
  }
  // Each table's lengths as deltas: 10 is +1, 11 is -1, 0 ends a symbol.
  for (int t = 0; t < c.groups; ++t) {
    int current = c.length[t][0];
    out->Put(5, static_cast<uint32_t>(current));
    for (int v = 0; v < c.alphabet; ++v) {
      const int length = c.length[t][v];
      for (; current < length; ++current)
        out->Put(2, 2);
      for (; current > length; --current)
        out->Put(2, 3);
      out->Put(1, 0);
    }
  }
}

void PutSymbols(const Symbols& symbols, const Coding& c, BitWriter* out) {
  int32_t group = 0;
  for (int32_t start = 0; start < c.symbols; start += kGroupSize, ++group) {
    const int32_t end =
        c.symbols - start < kGroupSize ? c.symbols : start + kGroupSize;
    const int table = c.selector[group];
    const uint8_t* length = c.length[table];
    const int32_t* code = c.code[table];
    for (int32_t i = start; i < end; ++i) {
      const uint16_t v = symbols[i];
      out->Put(length[v], static_cast<uint32_t>(code[v]));
    }
  }
}

}  // namespace

BlockWriter::~BlockWriter() {
  delete coding_;
}

size_t BlockWriter::MaxBytes(int32_t length) {
  // Header and map under 60 bytes; selectors at most 18,002 x 6 bits; tables
  // at most 6 x 258 x 33 bits; each symbol at most 17 bits.
  return (static_cast<size_t>(length) + 1) * kMaxCodeLength / 8 + 32768;
}

bool BlockWriter::Write(const SortedBlock& block,
                        BitWriter* out,
                        StageTimes* times) {
  // The selector table holds the symbols of at most a level-9 block.
  if (block.length < 1 || block.length > 900000)
    return false;
  if (coding_ == nullptr)
    coding_ = new (std::nothrow) Coding();
  if (coding_ == nullptr)
    return false;
  Coding& c = *coding_;
  Laps laps;
  Symbols symbols(block.ptr);
  MoveToFront(block, &symbols, &c);
  if (times != nullptr)
    laps.To(&times->mtf);
  c.groups = TableCount(c.symbols);
  InitialTables(&c);
  for (int pass = 0; pass < kPasses; ++pass)
    RefineTables(symbols, &c);
  SelectorsToFront(&c);
  AssignCodes(&c);

  PutHeader(block, out);
  PutSymbolMap(c, out);
  PutTables(c, out);
  PutSymbols(symbols, c, out);
  if (times != nullptr)
    laps.To(&times->huffman);
  return true;
}

}  // namespace codec
}  // namespace bz2napi
