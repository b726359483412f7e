// The native half of BZ2Compressor: owns one CompressStream, moves bytes,
// reports memory to V8. Defaults, validation and messages for users live in
// lib/compressor.ts.
#ifndef BZ2_NAPI_COMPRESSOR_H_
#define BZ2_NAPI_COMPRESSOR_H_

#include <napi.h>

#include "compress_stream.h"

namespace bz2napi {

class Compressor : public Napi::ObjectWrap<Compressor> {
 public:
  static constexpr napi_type_tag kTypeTag = {0x6b1f0e7c2a9d4c51ULL,
                                             0x9e3a5d27c04b8f16ULL};
  static constexpr const char* kClassName = "Compressor";

  static Napi::Function Define(Napi::Env env);

  // new Compressor(level: integer 1..9)
  explicit Compressor(const Napi::CallbackInfo& info);
  void Finalize(Napi::BasicEnv env) override;

  // compress(data: TypedArray | DataView): Buffer
  Napi::Value Compress(const Napi::CallbackInfo& info);
  // flush(): Buffer; frees libbzip2's state before returning.
  Napi::Value Flush(const Napi::CallbackInfo& info);

 private:
  void ThrowIfFlushed(Napi::Env env) const;
  // Ends the stream and takes its memory off V8's books.
  void Release(Napi::BasicEnv env);

  CompressStream stream_;
  int64_t reported_bytes_ = 0;
};

}  // namespace bz2napi

#endif  // BZ2_NAPI_COMPRESSOR_H_
