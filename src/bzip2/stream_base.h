// What the two libbzip2 stream owners share: the bz_stream, the allocator
// that counts its memory, and whether it is open. Plain C++ (no Node-API).
#ifndef BZ2_NAPI_BZIP2_STREAM_BASE_H_
#define BZ2_NAPI_BZIP2_STREAM_BASE_H_

#include <climits>
#include <cstddef>
#include <cstdint>

#include "bzip2/allocator.h"
#include "bzlib.h"

namespace bz2napi {

class StreamBase {
 public:
  StreamBase(const StreamBase&) = delete;
  StreamBase& operator=(const StreamBase&) = delete;

  bool active() const { return active_; }
  // Native bytes held by libbzip2 for this stream.
  int64_t allocated_bytes() const { return allocator_.bytes(); }

 protected:
  // libbzip2 counts input and output in unsigned ints.
  static constexpr size_t kMaxSlice = UINT_MAX;

  StreamBase() = default;
  ~StreamBase() = default;

  // Starts the stream with `init` (a BZ2_bz*Init call on the fresh
  // bz_stream). Returns its code; on error the stream stays closed.
  template <typename Init>
  int Open(Init init) {
    if (active_)
      return BZ_SEQUENCE_ERROR;
    strm_ = bz_stream{};
    allocator_.Attach(&strm_);
    const int ret = init(&strm_);
    active_ = ret == BZ_OK;
    return ret;
  }

  // Frees libbzip2's state with `end` (BZ2_bz*End). Idempotent.
  template <typename End>
  void Close(End end) {
    if (!active_)
      return;
    end(&strm_);
    active_ = false;
  }

  bz_stream strm_{};

 private:
  CountingAllocator allocator_;
  bool active_ = false;
};

}  // namespace bz2napi

#endif  // BZ2_NAPI_BZIP2_STREAM_BASE_H_
