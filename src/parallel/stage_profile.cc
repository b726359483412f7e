#include "parallel/stage_profile.h"

#include <limits>
#include <new>

#include "parallel/bit_joiner.h"
#include "parallel/block_cutter.h"
#include "parallel/block_encoder.h"

namespace bz2napi {

namespace {

bool Run(int level, const uint8_t* data, size_t length, StageProfile* p) {
  BlockCutter cutter(level);
  BlockEncoder encoder;
  BitJoiner joiner(std::numeric_limits<size_t>::max());
  EncodedBlock encoded;
  auto block = [&](const CutBlock& cut) {
    const BlockEncoder::Result result =
        encoder.Profile(level, cut.entries.get(), cut.length, &encoded,
                        &p->libbzip2, &p->ours, &p->same);
    if (result != BlockEncoder::Result::kOk)
      return false;
    codec::Laps laps;
    const bool joined = joiner.Append(encoded.bytes.data(), encoded.bits);
    laps.To(&p->joining);
    ++p->blocks;
    return joined;
  };
  size_t pos = 0;
  while (pos < length) {
    CutBlock cut;
    codec::Laps laps;
    pos += cutter.Scan(data + pos, length - pos, &cut);
    laps.To(&p->cutting);
    if (cut.entries && !block(cut))
      return false;
  }
  codec::Laps laps;
  const CutBlock last = cutter.Finish();
  laps.To(&p->cutting);
  return !last.entries || block(last);
}

}  // namespace

bool ProfileStages(int level,
                   const uint8_t* data,
                   size_t length,
                   StageProfile* profile) {
  *profile = StageProfile();
  try {
    return Run(level, data, length, profile);
  } catch (const std::bad_alloc&) {
    return false;
  }
}

}  // namespace bz2napi
