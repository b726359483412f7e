// The block-parallel BlockPipeline at a thread count (1-4) and level from the
// header, fed in random chunks, each appended with Pace::kWait or kQueue,
// must give exactly the bytes of the single-threaded CompressStream. Every
// chunk lives in its own heap buffer that is freed as soon as Append returns
// (no block points into it), so AddressSanitizer catches a block still
// reading the caller's memory.
//
// Blocks are 100k-900k bytes, far beyond a fuzzer input, so when bit 3 of
// byte 0 is set the payload is tiled (each copy shifted by its index, so runs
// inside it survive but blocks differ) to a length that crosses 1-2 block
// ends at level 1.
//
// Header byte 0: bits 0-1 threads - 1, bit 2 reserved, bit 3 tile, bits 4-7
// level (1 + n % 9). Bytes 1-7 seed the rest. The payload follows.
#include <cstring>
#include <memory>
#include <vector>

#include "bzip2/compress_stream.h"
#include "bzip2/output_buffer.h"
#include "fuzz_util.h"
#include "parallel/block_pipeline.h"
#include "parallel/worker_pool.h"

namespace {

using bz2napi::BlockPipeline;
using bz2napi::CompressStream;
using bz2napi::OutputBuffer;

void Take(BlockPipeline* p, std::vector<uint8_t>* to) {
  OutputBuffer out = p->TakeOutput();
  to->insert(to->end(), out.data(), out.data() + out.size());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < fuzz::kHeader)
    return 0;
  const size_t threads = 1 + (data[0] & 3);
  int level = 1 + (data[0] >> 4) % 9;
  fuzz::Choices choices(fuzz::HeaderSeed(data));
  std::vector<uint8_t> input(data + fuzz::kHeader, data + size);
  if ((data[0] & 8) && !input.empty()) {
    level = 1;  // the smallest blocks: each exec stays well under a second
    const size_t want =
        choices.Range(1, 2) * 100000 + choices.Range(0, 2 * input.size());
    const size_t n = input.size();
    input.resize(want);
    for (size_t i = n; i < want; ++i)
      input[i] = static_cast<uint8_t>(input[i % n] + i / n);
  }

  std::vector<uint8_t> ref;
  {
    CompressStream s;
    OutputBuffer out;
    FUZZ_CHECK(s.Init(level) == BZ_OK);
    FUZZ_CHECK(s.Compress(input.data(), input.size(), &out, SIZE_MAX) ==
               BZ_RUN_OK);
    FUZZ_CHECK(s.Finish(&out, SIZE_MAX) == BZ_STREAM_END);
    ref.assign(out.data(), out.data() + out.size());
  }

  FUZZ_CHECK(bz2napi::WorkerPool::Get().Reserve(threads) >= threads);
  std::shared_ptr<BlockPipeline> p =
      BlockPipeline::Create(level, threads, SIZE_MAX);
  std::vector<uint8_t> ours;
  size_t pos = 0;
  while (pos < input.size()) {
    // Chunks up to a few blocks, so a chunk may hold several cuts.
    size_t chunk = choices.Chunk(input.size() - pos);
    const auto pace = choices.Next() % 2 ? BlockPipeline::Pace::kWait
                                         : BlockPipeline::Pace::kQueue;
    {
      std::unique_ptr<uint8_t[]> bytes(new uint8_t[chunk]);
      std::memcpy(bytes.get(), input.data() + pos, chunk);
      p->Append(bytes.get(), chunk, pace);
    }
    // As the addon does: a synchronous append is settled before it returns;
    // an asynchronous one waits for room (or here, not at all).
    if (pace == BlockPipeline::Pace::kWait)
      p->Wait(BlockPipeline::Until::kSettled);
    else if (choices.Next() % 2)
      p->Wait(BlockPipeline::Until::kRoom);
    pos += chunk;
    FUZZ_CHECK(p->status() == 0);
    if (choices.Next() % 2)
      Take(p.get(), &ours);
  }
  p->Finish();
  p->Wait(BlockPipeline::Until::kSettled);
  FUZZ_CHECK(p->status() == 0);
  Take(p.get(), &ours);
  FUZZ_CHECK(ours == ref);
  return 0;
}
