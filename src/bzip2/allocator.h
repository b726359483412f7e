// Counting allocator for bz_stream: libbzip2 asks for all its memory through
// bzalloc/bzfree, so counting there tells us exactly how much native memory a
// stream holds, to report it to V8.
#ifndef BZ2_NAPI_BZIP2_ALLOCATOR_H_
#define BZ2_NAPI_BZIP2_ALLOCATOR_H_

#include <atomic>
#include <cstdint>

#include "bzlib.h"

namespace bz2napi {

class CountingAllocator {
 public:
  // Points strm's bzalloc/bzfree/opaque at this allocator.
  void Attach(bz_stream* strm);

  // Bytes currently allocated. Atomic because a worker thread may allocate
  // (decompression grows lazily) while the main thread reads the figure.
  int64_t bytes() const { return bytes_.load(std::memory_order_relaxed); }

 private:
  static void* Alloc(void* opaque, int items, int size);
  static void Free(void* opaque, void* ptr);

  std::atomic<int64_t> bytes_{0};
};

}  // namespace bz2napi

#endif  // BZ2_NAPI_BZIP2_ALLOCATOR_H_
