// How long each stage of one block's compression took, for the benchmark's
// profile (BlockEncoder::Profile); nothing on the compression paths times
// itself.
#ifndef BZ2_NAPI_CODEC_STAGE_TIMES_H_
#define BZ2_NAPI_CODEC_STAGE_TIMES_H_

#include <chrono>
#include <ctime>

namespace bz2napi {
namespace codec {

struct StageTimes {
  double rle1_crc = 0;  // seconds: the CRC and the block copied in (our
                        // first run-length stage is the cutter's)
  double sort = 0;      // the block sort
  double mtf = 0;       // the last column, move-to-front and zero runs
  double huffman = 0;   // the tables, selectors and coded symbols
};

// A stopwatch that adds each lap to a stage: the calling thread's CPU time
// where there is such a clock, so that a busy machine's other work does not
// count; elsewhere (Windows) wall time.
class Laps {
 public:
  Laps() : last_(Now()) {}
  void To(double* stage) {
    const double now = Now();
    *stage += now - last_;
    last_ = now;
  }

 private:
  static double Now() {
#if defined(CLOCK_THREAD_CPUTIME_ID)
    timespec ts;
    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) == 0)
      return static_cast<double>(ts.tv_sec) +
             1e-9 * static_cast<double>(ts.tv_nsec);
#endif
    return std::chrono::duration<double>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
  }

  double last_;
};

}  // namespace codec
}  // namespace bz2napi

#endif  // BZ2_NAPI_CODEC_STAGE_TIMES_H_
