#include "parallel/block_encoder.h"

#include <cstdlib>
#include <cstring>
#include <new>

#include "codec/bit_writer.h"
#include "codec/rotation_sort.h"
#include "parallel/block_cutter.h"

extern "C" {
#include "bzlib_private.h"
}

namespace bz2napi {

namespace {

EState* AsState(void* state) {
  return static_cast<EState*>(state);
}

// The block CRC, over the input bytes the entries stand for, read as
// libbzip2's decoder reads them back (unRLE_obuf_to_output_FAST): after 4
// equal entries the next is a count of further copies, and a fresh run
// starts after it. For a block BlockCutter made from the input, these are
// exactly the input's bytes. Marks in `in_use` every value the block holds,
// counts included, as bzlib.c does.
uint32_t EntriesCrc(const uint8_t* entries, size_t length, Bool* in_use) {
  uint32_t crc;
  BZ_INITIALISE_CRC(crc);
  size_t i = 0;
  while (i < length) {
    const uint8_t byte = entries[i++];
    in_use[byte] = True;
    BZ_UPDATE_CRC(crc, byte);
    if (i == length || entries[i] != byte)
      continue;  // the common case: a run of 1
    uint32_t run = 1;
    while (run < 4 && i < length && entries[i] == byte) {
      ++run;
      ++i;
    }
    if (run == 4 && i < length) {
      in_use[entries[i]] = True;
      run += entries[i++];
    }
    for (uint32_t k = 1; k < run; ++k)
      BZ_UPDATE_CRC(crc, byte);
  }
  BZ_FINALISE_CRC(crc);
  return crc;
}

}  // namespace

BlockEncoder::~BlockEncoder() {
  Free();
}

void BlockEncoder::Free() {
  EState* s = AsState(state_);
  if (s == nullptr)
    return;
  std::free(s->arr1);
  std::free(s->arr2);
  std::free(s->ftab);
  std::free(s);
  state_ = nullptr;
  level_ = 0;
}

size_t BlockEncoder::Bytes(int level) {
  const size_t n = 100000 * static_cast<size_t>(level);
  return sizeof(EState) + (n + (n + BZ_N_OVERSHOOT) + 65537) * sizeof(UInt32);
}

bool BlockEncoder::Reserve(int level) {
  if (state_ != nullptr && level_ >= level)
    return true;
  Free();
  // The sizes of BZ2_bzCompressInit, which BZ2_compressBlock relies on.
  const size_t n = 100000 * static_cast<size_t>(level);
  auto* s = static_cast<EState*>(std::calloc(1, sizeof(EState)));
  if (s == nullptr)
    return false;
  s->arr1 = static_cast<UInt32*>(std::malloc(n * sizeof(UInt32)));
  s->arr2 =
      static_cast<UInt32*>(std::malloc((n + BZ_N_OVERSHOOT) * sizeof(UInt32)));
  s->ftab = static_cast<UInt32*>(std::malloc(65537 * sizeof(UInt32)));
  state_ = s;
  level_ = level;
  if (s->arr1 == nullptr || s->arr2 == nullptr || s->ftab == nullptr) {
    Free();
    return false;
  }
  return true;
}

BlockEncoder::Result BlockEncoder::Encode(int level,
                                          const uint8_t* entries,
                                          size_t length,
                                          EncodedBlock* out) {
  uint32_t crc = 0;
  const Result result = Prepare(level, entries, length, &crc);
  return result == Result::kOk ? Finish(crc, out, nullptr) : result;
}

BlockEncoder::Result BlockEncoder::Profile(int level,
                                           const uint8_t* entries,
                                           size_t length,
                                           EncodedBlock* out,
                                           codec::StageTimes* libbzip2,
                                           codec::StageTimes* ours,
                                           bool* same) {
  codec::Laps laps;
  uint32_t crc = 0;
  double rle1_crc = 0;
  Result result = Prepare(level, entries, length, &crc);
  if (result != Result::kOk)
    return result;
  laps.To(&rle1_crc);
  libbzip2->rle1_crc += rle1_crc;
  ours->rle1_crc += rle1_crc;
  EState* s = AsState(state_);
  const std::vector<uint8_t> block(s->block, s->block + s->nblock);
  // libbzip2's sort alone, then its whole block; the difference is the rest
  // (its MTF and Huffman stages are static functions, timed together).
  double sort = 0;
  double whole = 0;
  laps = codec::Laps();  // the copy above is no stage's
  BZ2_blockSort(s);
  laps.To(&sort);
  std::memcpy(s->block, block.data(), block.size());
  s->blockCRC = ~crc;  // BZ2_compressBlock finalises it
  laps = codec::Laps();
  BZ2_compressBlock(s, False);
  laps.To(&whole);
  libbzip2->sort += sort;
  libbzip2->mtf += whole - sort;
  std::vector<uint8_t> want(s->zbits, s->zbits + s->numZ);
  const uint64_t want_bits = static_cast<uint64_t>(s->numZ) * 8 + s->bsLive;
  // bsW empties its buffer before it adds bits, so up to 32 bits are left.
  for (UInt32 buffer = s->bsBuff, live = s->bsLive; live > 0;
       live = live >= 8 ? live - 8 : 0, buffer <<= 8)
    want.push_back(static_cast<uint8_t>(buffer >> 24));
  // Ours on the same block.
  std::memcpy(s->block, block.data(), block.size());
  result = Finish(crc, out, ours);
  if (result != Result::kOk || out->bits != want_bits || out->bytes != want)
    *same = false;
  return result;
}

BlockEncoder::Result BlockEncoder::Prepare(int level,
                                           const uint8_t* entries,
                                           size_t length,
                                           uint32_t* block_crc) {
  if (level < 1 || level > 9 || length == 0 ||
      length > BlockCutter::MaxEntries(level))
    return Result::kNotOneBlock;
  if (!Reserve(level))
    return Result::kOutOfMemory;
  EState* s = AsState(state_);
  // The fields BZ2_compressBlock reads, set as bzlib.c sets them for a block
  // after the first: blockNo > 1 means no stream header, and an empty bit
  // buffer makes the block's bits start at bit 0.
  s->strm = nullptr;
  s->blockSize100k = level;
  s->nblockMAX = 100000 * level - 19;
  s->workFactor = 30;
  s->verbosity = 0;
  s->blockNo = 2;
  s->block = reinterpret_cast<UChar*>(s->arr2);
  s->mtfv = reinterpret_cast<UInt16*>(s->arr1);
  s->ptr = s->arr1;
  s->zbits = nullptr;
  s->numZ = 0;
  s->bsBuff = 0;
  s->bsLive = 0;
  s->combinedCRC = 0;
  s->nblock = static_cast<Int32>(length);
  std::memcpy(s->block, entries, length);
  std::memset(s->inUse, 0, sizeof(s->inUse));
  *block_crc = EntriesCrc(entries, length, s->inUse);
  return Result::kOk;
}

BlockEncoder::Result BlockEncoder::Finish(uint32_t crc,
                                          EncodedBlock* out,
                                          codec::StageTimes* times) {
  EState* s = AsState(state_);
  codec::Laps laps;
  // Our sort, then our writer for the rest of BZ2_compressBlock's work
  // (test/fuzz/codec_fuzzer.cc holds the two to the same bits). The sort
  // works in libbzip2's own arrays: the order into arr1 (ptr), a copy of the
  // block after it in arr2, and its scratch in the rest of arr2. A periodic
  // block goes to libbzip2's sort, which alone knows its order of equal
  // rotations (as would a block too big for the area, which cannot occur).
  const size_t arr2_bytes =
      (100000 * static_cast<size_t>(level_) + BZ_N_OVERSHOOT) * sizeof(UInt32);
  const uint8_t* text = s->block;
  if (codec::SortRotations(s->block, s->nblock, arr2_bytes, s->ptr, &s->origPtr,
                           &text) != codec::RotationSort::kSorted) {
    BZ2_blockSort(s);
    text = s->block;
  }
  if (times != nullptr)
    laps.To(&times->sort);
  // The writer reads the text only before it writes its first bit, where
  // BZ2_compressBlock does, into arr2 after the block, which has room for any
  // block's bits (4 x (100000 x level + 34) - nblock bytes, more than
  // BlockWriter::MaxBytes).
  codec::SortedBlock sorted;
  sorted.data = text;
  sorted.length = s->nblock;
  sorted.ptr = s->ptr;
  sorted.orig_ptr = s->origPtr;
  sorted.crc = crc;
  uint8_t* bits_at = s->block + s->nblock;
  const size_t room = arr2_bytes - static_cast<size_t>(s->nblock);
  codec::BitWriter bits(bits_at, room);
  if (!writer_.Write(sorted, &bits, times))
    return Result::kOutOfMemory;
  const uint64_t count = bits.Finish();
  if (!bits.fits())
    return Result::kOutOfMemory;  // cannot happen: the room exceeds MaxBytes
  out->bytes.assign(bits_at, bits_at + (count + 7) / 8);
  out->bits = count;
  out->crc = crc;
  return Result::kOk;
}

}  // namespace bz2napi
