// The native half of BZ2Decompressor (Python's bz2.BZ2Decompressor): one
// stream, Python's input buffer for bytes not yet used, sticky failure.
// Validation and messages for users live in lib/decompressor.ts.
#ifndef BZ2_NAPI_DECOMPRESSOR_H_
#define BZ2_NAPI_DECOMPRESSOR_H_

#include <napi.h>

#include <cstdint>
#include <vector>

#include "decompress_stream.h"

namespace bz2napi {

class Decompressor : public Napi::ObjectWrap<Decompressor> {
 public:
  static constexpr napi_type_tag kTypeTag = {0x2f8c61d4a7b05e93ULL,
                                             0xc4170b9ee6d2a358ULL};
  static constexpr const char* kClassName = "Decompressor";

  static Napi::Function Define(Napi::Env env);

  // new Decompressor()
  explicit Decompressor(const Napi::CallbackInfo& info);
  void Finalize(Napi::BasicEnv env) override;

  // decompress(data: TypedArray | DataView, maxLength: integer >= -1): Buffer
  Napi::Value Decompress(const Napi::CallbackInfo& info);
  Napi::Value Eof(const Napi::CallbackInfo& info);
  Napi::Value NeedsInput(const Napi::CallbackInfo& info);
  // A new Buffer with the bytes that followed the end of the stream.
  Napi::Value UnusedData(const Napi::CallbackInfo& info);

 private:
  // Brings V8's figure in line with what libbzip2 holds now.
  void ReportMemory(Napi::BasicEnv env);
  // Ends the stream and takes its memory off V8's books.
  void Release(Napi::BasicEnv env);

  DecompressStream stream_;
  // Input given but not yet used (CPython's input buffer): only when maxLength
  // stopped output.
  std::vector<uint8_t> pending_;
  std::vector<uint8_t> unused_;
  int64_t reported_bytes_ = 0;
  bool eof_ = false;
  bool needs_input_ = true;
  bool failed_ = false;
};

}  // namespace bz2napi

#endif  // BZ2_NAPI_DECOMPRESSOR_H_
