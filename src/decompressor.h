// The native half of BZ2Decompressor (Python's bz2.BZ2Decompressor): one
// stream, Python's input buffer for bytes not yet used, sticky failure.
// Validation and messages for users live in lib/decompressor.ts.
#ifndef BZ2_NAPI_DECOMPRESSOR_H_
#define BZ2_NAPI_DECOMPRESSOR_H_

#include <napi.h>

#include <cstdint>
#include <vector>

#include "decompress_stream.h"
#include "errors.h"
#include "output_buffer.h"

namespace bz2napi {

// One decompress step: its input (owned when it is earlier input plus new, or
// when the step runs off the main thread), the output limit, and what libbzip2
// did.
struct DecompressJob {
  std::vector<uint8_t> owned;
  const uint8_t* in = nullptr;
  size_t len = 0;
  size_t limit = 0;
  OutputBuffer out;
  size_t consumed = 0;
  int ret = 0;
};

class Decompressor : public Napi::ObjectWrap<Decompressor> {
 public:
  static constexpr napi_type_tag kTypeTag = {0x2f8c61d4a7b05e93ULL,
                                             0xc4170b9ee6d2a358ULL};
  static constexpr const char* kClassName = "Decompressor";

  static Napi::Function Define(Napi::Env env);

  // new Decompressor()
  explicit Decompressor(const Napi::CallbackInfo& info);
  void Finalize(Napi::BasicEnv env) override;
  // Replaces ObjectWrap's uncoded TypeError for a call without `new`.
  static Napi::Value OnCalledAsFunction(const Napi::CallbackInfo& info) {
    throw ConstructCallError(info.Env(), kClassName);
  }

  // decompress(data: TypedArray | DataView, maxLength: integer >= -1): Buffer
  Napi::Value Decompress(const Napi::CallbackInfo& info);
  // decompressAsync(data, maxLength): Promise<Buffer>; data is copied before
  // this returns.
  Napi::Value DecompressAsync(const Napi::CallbackInfo& info);
  Napi::Value Eof(const Napi::CallbackInfo& info);
  Napi::Value NeedsInput(const Napi::CallbackInfo& info);
  // A new Buffer with the bytes that followed the end of the stream.
  Napi::Value UnusedData(const Napi::CallbackInfo& info);

  // For StepWorker.
  void set_busy(bool busy) { busy_ = busy; }
  void RunJob(DecompressJob* job);
  Napi::Value FinishJob(Napi::Env env, DecompressJob* job);

 private:
  // Checks the state and arguments and builds the job; with `copy`, the job
  // owns its input.
  DecompressJob Prepare(const Napi::CallbackInfo& info, bool copy);
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
  bool busy_ = false;
};

}  // namespace bz2napi

#endif  // BZ2_NAPI_DECOMPRESSOR_H_
