// What the fuzz targets share: a small deterministic generator fed from the
// fuzzer's input (so a saved input replays exactly) and a check that aborts
// with a message (libFuzzer saves the input of any abort as a crash).
#ifndef BZ2_NAPI_TEST_FUZZ_FUZZ_UTIL_H_
#define BZ2_NAPI_TEST_FUZZ_FUZZ_UTIL_H_

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace fuzz {

// The first kHeader bytes of every input steer the run (mode, level, splits,
// caps); the rest is the payload. A fixed-size header rather than
// FuzzedDataProvider keeps the payload contiguous, so a .bz2 file behind 8
// bytes is a useful seed and mutations of the header do not shift it.
constexpr size_t kHeader = 8;

// splitmix64: tiny, and every header yields a different stream of choices.
class Choices {
 public:
  explicit Choices(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // Uniform enough in [lo, hi].
  size_t Range(size_t lo, size_t hi) {
    return lo + static_cast<size_t>(Next() % (hi - lo + 1));
  }
  // A chunk length for `remaining` bytes: mostly small, sometimes all of it,
  // so both byte-at-a-time and one-shot feeding happen.
  size_t Chunk(size_t remaining) {
    if (remaining == 0)
      return 0;
    switch (Next() % 4) {
      case 0:
        return remaining;
      case 1:
        return Range(1, remaining < 4 ? remaining : 4);
      default:
        return Range(1, remaining);
    }
  }

 private:
  uint64_t state_;
};

inline uint64_t HeaderSeed(const uint8_t* data) {
  uint64_t seed = 0;
  for (size_t i = 1; i < kHeader; ++i)
    seed = (seed << 8) | data[i];
  return seed;
}

[[noreturn]] inline void Fail(const char* file, int line, const char* what) {
  std::fprintf(stderr, "%s:%d: check failed: %s\n", file, line, what);
  std::abort();
}

}  // namespace fuzz

#define FUZZ_CHECK(cond)                       \
  do {                                         \
    if (!(cond))                               \
      ::fuzz::Fail(__FILE__, __LINE__, #cond); \
  } while (0)

#endif  // BZ2_NAPI_TEST_FUZZ_FUZZ_UTIL_H_
