#include "bzip2/output_buffer.h"

#include "bzip2/alloc_failure.h"

#include <cstdlib>
#include <utility>

namespace bz2napi {

OutputBuffer::~OutputBuffer() {
  std::free(data_);
}

OutputBuffer::OutputBuffer(OutputBuffer&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)),
      size_(std::exchange(other.size_, 0)),
      capacity_(std::exchange(other.capacity_, 0)),
      out_of_memory_(std::exchange(other.out_of_memory_, false)) {}

OutputBuffer& OutputBuffer::operator=(OutputBuffer&& other) noexcept {
  if (this != &other) {
    std::free(data_);
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
    capacity_ = std::exchange(other.capacity_, 0);
    out_of_memory_ = std::exchange(other.out_of_memory_, false);
  }
  return *this;
}

bool OutputBuffer::Grow(size_t limit) {
  if (capacity_ >= limit)
    return false;
  size_t want = capacity_ == 0 ? kInitial : capacity_ * 2;
  if (want < capacity_ || want > limit)
    want = limit;  // overflow or past the cap
  auto* grown = alloc_failure::ShouldFail()
                    ? nullptr
                    : static_cast<uint8_t*>(std::realloc(data_, want));
  if (grown == nullptr) {
    out_of_memory_ = true;
    return false;
  }
  data_ = grown;
  capacity_ = want;
  return true;
}

uint8_t* OutputBuffer::Release() {
  uint8_t* bytes = data_;
  if (bytes != nullptr && size_ < capacity_) {
    // Shrinking in place is the common case; keep the larger block if realloc
    // fails.
    auto* shrunk = alloc_failure::ShouldFail()
                       ? nullptr
                       : static_cast<uint8_t*>(
                             std::realloc(bytes, size_ == 0 ? 1 : size_));
    if (shrunk != nullptr)
      bytes = shrunk;
  }
  data_ = nullptr;
  size_ = 0;
  capacity_ = 0;
  return bytes;
}

}  // namespace bz2napi
