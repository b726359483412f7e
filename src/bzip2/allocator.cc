#include "bzip2/allocator.h"

#include "bzip2/alloc_failure.h"

#include <cstddef>
#include <cstdlib>
#include <limits>

namespace bz2napi {

namespace {

// Each block carries its size in a header so that Free can subtract it; the
// header is max_align_t-sized to keep the caller's block aligned.
constexpr size_t kHeader = alignof(std::max_align_t) > sizeof(size_t)
                               ? alignof(std::max_align_t)
                               : sizeof(size_t);

}  // namespace

void CountingAllocator::Attach(bz_stream* strm) {
  strm->bzalloc = &CountingAllocator::Alloc;
  strm->bzfree = &CountingAllocator::Free;
  strm->opaque = this;
}

void* CountingAllocator::Alloc(void* opaque, int items, int size) {
  if (items < 0 || size < 0)
    return nullptr;
  const size_t n = static_cast<size_t>(items);
  const size_t m = static_cast<size_t>(size);
  // Overflow check as in CPython's BZ2_Malloc.
  if (m != 0 && n > (std::numeric_limits<size_t>::max() - kHeader) / m) {
    return nullptr;
  }
  const size_t bytes = n * m;
  if (alloc_failure::ShouldFail())
    return nullptr;
  auto* block = static_cast<unsigned char*>(std::malloc(kHeader + bytes));
  if (block == nullptr)
    return nullptr;
  *reinterpret_cast<size_t*>(block) = bytes;
  static_cast<CountingAllocator*>(opaque)->bytes_.fetch_add(
      static_cast<int64_t>(bytes), std::memory_order_relaxed);
  return block + kHeader;
}

void CountingAllocator::Free(void* opaque, void* ptr) {
  if (ptr == nullptr)
    return;
  auto* block = static_cast<unsigned char*>(ptr) - kHeader;
  const size_t bytes = *reinterpret_cast<size_t*>(block);
  static_cast<CountingAllocator*>(opaque)->bytes_.fetch_sub(
      static_cast<int64_t>(bytes), std::memory_order_relaxed);
  std::free(block);
}

}  // namespace bz2napi
