// Allocation-failure injection, for test builds only (scripts/alloc-failure.sh
// defines BZ2_NAPI_ALLOC_FAILURE). Every allocation the addon makes for itself
// asks ShouldFail() first: libbzip2's (CountingAllocator), the output buffers'
// and every operator new in the addon. Told to fail the N-th allocation from
// now, it fails that one only, so a sweep over N reaches every allocation of an
// operation. In normal builds ShouldFail() is a constant false.
#ifndef BZ2_NAPI_BZIP2_ALLOC_FAILURE_H_
#define BZ2_NAPI_BZIP2_ALLOC_FAILURE_H_

#include <cstdint>

namespace bz2napi {
namespace alloc_failure {

#ifdef BZ2_NAPI_ALLOC_FAILURE
// Fails the n-th allocation from now (1: the next one); 0: none. Resets the
// count.
void FailAt(int64_t n);
// Allocations asked for since the last FailAt.
int64_t Count();
// Any thread: counts this allocation; true if it is the one to fail.
bool ShouldFail();
#else
inline bool ShouldFail() {
  return false;
}
#endif

}  // namespace alloc_failure
}  // namespace bz2napi

#endif  // BZ2_NAPI_BZIP2_ALLOC_FAILURE_H_
