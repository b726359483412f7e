#include "bzip2/alloc_failure.h"

#ifdef BZ2_NAPI_ALLOC_FAILURE

#include <atomic>
#include <cstdlib>
#include <new>

namespace bz2napi {
namespace alloc_failure {

namespace {

std::atomic<int64_t> fail_at{0};
std::atomic<int64_t> count{0};

}  // namespace

void FailAt(int64_t n) {
  count.store(0);
  fail_at.store(n);
}

int64_t Count() {
  return count.load();
}

bool ShouldFail() {
  const int64_t seen = count.fetch_add(1) + 1;
  const int64_t target = fail_at.load();
  return target > 0 && seen == target;
}

}  // namespace alloc_failure
}  // namespace bz2napi

// The addon's own operator new (the symbols are hidden, so node's allocations
// are untouched): the allocation ShouldFail() picks throws std::bad_alloc, as a
// real one would.
void* operator new(std::size_t size) {
  if (bz2napi::alloc_failure::ShouldFail())
    throw std::bad_alloc();
  if (void* p = std::malloc(size == 0 ? 1 : size))
    return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t size) {
  return operator new(size);
}
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  try {
    return operator new(size);
  } catch (const std::bad_alloc&) {
    return nullptr;
  }
}
void* operator new[](std::size_t size, const std::nothrow_t& tag) noexcept {
  return operator new(size, tag);
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete[](void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}
void operator delete[](void* p, std::size_t) noexcept {
  std::free(p);
}

#endif  // BZ2_NAPI_ALLOC_FAILURE
