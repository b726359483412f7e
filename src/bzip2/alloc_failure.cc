#include "bzip2/alloc_failure.h"

#ifdef BZ2_NAPI_ALLOC_FAILURE

#include <dlfcn.h>

#include <atomic>
#include <cstddef>
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

// The addon's own operator new (bound to the addon's calls by -Bsymbolic, so
// node's allocations are untouched): the allocation ShouldFail() picks throws
// std::bad_alloc, as a real one would; the others go to the next operator new
// in the process (libstdc++'s, or a sanitizer's), so that its operator delete,
// which the addon does not replace, always matches.
namespace {

using NewFn = void* (*)(std::size_t);

NewFn Next(const char* name) {
  return reinterpret_cast<NewFn>(dlsym(RTLD_NEXT, name));
}

}  // namespace

void* operator new(std::size_t size) {
  static const NewFn next = Next("_Znwm");
  if (bz2napi::alloc_failure::ShouldFail())
    throw std::bad_alloc();
  return next(size);
}

void* operator new[](std::size_t size) {
  static const NewFn next = Next("_Znam");
  if (bz2napi::alloc_failure::ShouldFail())
    throw std::bad_alloc();
  return next(size);
}

void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  try {
    return operator new(size);
  } catch (const std::bad_alloc&) {
    return nullptr;
  }
}

void* operator new[](std::size_t size, const std::nothrow_t&) noexcept {
  try {
    return operator new[](size);
  } catch (const std::bad_alloc&) {
    return nullptr;
  }
}

#endif  // BZ2_NAPI_ALLOC_FAILURE
