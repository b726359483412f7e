// A growable byte buffer for libbzip2's output: malloc-backed so that growth
// can use realloc (mremap for large blocks, no copy) and the final block can be
// handed to JS without a copy.
#ifndef BZ2_NAPI_BZIP2_OUTPUT_BUFFER_H_
#define BZ2_NAPI_BZIP2_OUTPUT_BUFFER_H_

#include <cstddef>
#include <cstdint>

namespace bz2napi {

class OutputBuffer {
 public:
  OutputBuffer() = default;
  ~OutputBuffer();
  OutputBuffer(const OutputBuffer&) = delete;
  OutputBuffer& operator=(const OutputBuffer&) = delete;
  OutputBuffer(OutputBuffer&& other) noexcept;
  OutputBuffer& operator=(OutputBuffer&& other) noexcept;

  // Makes room for more output: doubles the capacity (starting at kInitial),
  // never beyond `limit` bytes in all. Returns false when the limit is reached
  // or malloc fails (see out_of_memory()).
  bool Grow(size_t limit = SIZE_MAX);

  uint8_t* free_space() { return data_ + size_; }
  size_t free_bytes() const { return capacity_ - size_; }
  void Commit(size_t n) { size_ += n; }
  // Drops bytes past `n` (keeps the capacity). No effect if n >= size().
  void Truncate(size_t n) {
    if (n < size_)
      size_ = n;
  }

  const uint8_t* data() const { return data_; }
  size_t size() const { return size_; }
  size_t capacity() const { return capacity_; }
  bool out_of_memory() const { return out_of_memory_; }

  // Gives up ownership of the bytes (shrunk to size(), freed with std::free).
  // The buffer is empty afterwards.
  uint8_t* Release();

 private:
  static constexpr size_t kInitial = 64 * 1024;

  uint8_t* data_ = nullptr;
  size_t size_ = 0;
  size_t capacity_ = 0;
  bool out_of_memory_ = false;
};

}  // namespace bz2napi

#endif  // BZ2_NAPI_BZIP2_OUTPUT_BUFFER_H_
