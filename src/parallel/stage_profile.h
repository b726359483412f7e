// The benchmark's per-stage profile of one thread's compression: the input
// cut into the blocks bzlib.c makes, each block compressed both ways (ours,
// and libbzip2's BZ2_compressBlock) with every stage timed, ours joined into
// a stream. Not on any compression path.
#ifndef BZ2_NAPI_PARALLEL_STAGE_PROFILE_H_
#define BZ2_NAPI_PARALLEL_STAGE_PROFILE_H_

#include <cstddef>
#include <cstdint>

#include "codec/stage_times.h"

namespace bz2napi {

struct StageProfile {
  size_t blocks = 0;
  double cutting = 0;  // seconds in BlockCutter: block ends and the first
                       // run-length stage
  double joining = 0;  // seconds joining the blocks' bits (BitJoiner)
  codec::StageTimes libbzip2;  // its MTF and Huffman stages together in mtf
  codec::StageTimes ours;
  bool same = true;  // every block's bits were the same both ways
};

// False when memory ran out.
bool ProfileStages(int level,
                   const uint8_t* data,
                   size_t length,
                   StageProfile* profile);

}  // namespace bz2napi

#endif  // BZ2_NAPI_PARALLEL_STAGE_PROFILE_H_
