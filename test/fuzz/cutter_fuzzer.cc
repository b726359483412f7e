// BlockCutter, which reads words at a time where it can, must end blocks
// exactly where bzlib.c's byte-at-a-time rule does and hold exactly the
// entries bzlib.c's first run-length stage writes (both written out below as
// bzlib.c has them), whatever the data and however it is split across calls.
// The parallel target checks the same through whole compressed streams; this
// one checks the blocks alone, thousands of times faster.
//
// Blocks are 100k-900k entries, so the payload is first run-expanded (0xFF n
// repeats the byte before it n times: runs around bzlib.c's 4 and 255) and,
// when bit 3 of byte 0 is set, tiled (each copy shifted by its index) to a
// length that crosses 1-3 block ends.
//
// Header byte 0: bit 3 tile, bits 4-7 level (1 + n % 9). Bytes 1-7 seed the
// splits. The payload follows.
#include <cstdint>
#include <vector>

#include "fuzz_util.h"
#include "parallel/block_cutter.h"

namespace {

struct Reference {
  std::vector<size_t> cuts;  // input offsets where a block ends
  std::vector<std::vector<uint8_t>> blocks;
};

// bzlib.c's rule, one byte at a time: runs go into the block as they end
// (add_pair_to_block: 1-3 bytes as they are, longer as 4 and a count, 255 at
// most), and the block is full once its entries reach nblockMAX.
Reference ReferenceBlocks(const std::vector<uint8_t>& input, int level) {
  const int32_t max_entries = 100000 * level - 19;
  Reference ref;
  std::vector<uint8_t> block;
  uint32_t run_byte = 256;
  uint32_t run_length = 0;
  auto add_run = [&] {
    const auto byte = static_cast<uint8_t>(run_byte);
    if (run_length <= 3) {
      block.insert(block.end(), run_length, byte);
    } else {
      block.insert(block.end(), 4, byte);
      block.push_back(static_cast<uint8_t>(run_length - 4));
    }
  };
  for (size_t i = 0; i < input.size(); ++i) {
    const uint32_t byte = input[i];
    if (byte == run_byte && run_length < 255) {
      ++run_length;
      continue;
    }
    add_run();
    run_byte = byte;
    run_length = 1;
    if (static_cast<int32_t>(block.size()) >= max_entries) {
      ref.cuts.push_back(i);  // the block ends before this byte
      ref.blocks.push_back(std::move(block));
      block.clear();
    }
  }
  if (run_length != 0) {
    add_run();
    ref.blocks.push_back(std::move(block));
  }
  return ref;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < fuzz::kHeader)
    return 0;
  const int level = 1 + (data[0] >> 4) % 9;
  fuzz::Choices choices(fuzz::HeaderSeed(data));
  std::vector<uint8_t> input;
  for (size_t i = fuzz::kHeader; i < size; ++i) {
    if (data[i] == 0xFF && i + 1 < size && !input.empty()) {
      input.insert(input.end(), data[++i], input.back());
    } else {
      input.push_back(data[i]);
    }
  }
  if ((data[0] & 8) && !input.empty()) {
    const size_t want = choices.Range(1, 3) * 100000 * level +
                        choices.Range(0, 2 * input.size());
    const size_t n = input.size();
    input.resize(want);
    for (size_t i = n; i < want; ++i)
      input[i] = static_cast<uint8_t>(input[i % n] + i / n);
  }

  const Reference expected = ReferenceBlocks(input, level);
  std::vector<size_t> cuts;
  std::vector<std::vector<uint8_t>> blocks;
  bz2napi::BlockCutter cutter(level);
  auto keep = [&](const bz2napi::CutBlock& block) {
    FUZZ_CHECK(block.length <= bz2napi::BlockCutter::MaxEntries(level));
    blocks.emplace_back(block.entries.get(),
                        block.entries.get() + block.length);
  };
  size_t pos = 0;
  while (pos < input.size()) {
    // Each call gets its own copy, so reading outside it is caught.
    const size_t chunk = choices.Chunk(input.size() - pos);
    const std::vector<uint8_t> piece(input.begin() + pos,
                                     input.begin() + pos + chunk);
    size_t read = 0;
    while (read < chunk) {
      bz2napi::CutBlock done;
      read += cutter.Scan(piece.data() + read, chunk - read, &done);
      if (done.entries) {
        cuts.push_back(pos + read - 1);
        keep(done);
      }
    }
    FUZZ_CHECK(read == chunk);
    pos += chunk;
  }
  const bz2napi::CutBlock last = cutter.Finish();
  FUZZ_CHECK(!last.entries == input.empty());
  if (last.entries)
    keep(last);
  FUZZ_CHECK(cuts == expected.cuts);
  FUZZ_CHECK(blocks == expected.blocks);
  return 0;
}
