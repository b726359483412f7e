// The native half of BZ2Decompressor (one stream) and of the one-shot and
// stream decoders (concatenated streams): one Decoder, bytes in and out:
// StreamDecoder (libbzip2 on the calling thread), or with several threads
// ParallelDecoder (the blocks on the addon's pool; a step then waits for
// them, on the calling thread or the libuv thread that runs it).
// It keeps no input between calls: each call reports how much of its input it
// used, and the caller keeps the rest (CPython's input buffer and unused_data
// live in lib/decompressor.ts). Validation and messages for users live in
// lib/.
#ifndef BZ2_NAPI_DECOMPRESSOR_H_
#define BZ2_NAPI_DECOMPRESSOR_H_

#include <napi.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "bzip2/decoder.h"
#include "bzip2/output_buffer.h"
#include "napi/async_step.h"
#include "napi/wrapped.h"

namespace bz2napi {

// One decompress step: its input (a copy when the step runs off the main
// thread), the output limit, and what the decoder did.
struct DecompressJob {
  std::vector<uint8_t> owned;
  const uint8_t* in = nullptr;
  size_t len = 0;
  size_t limit = 0;
  bool last = false;
  OutputBuffer out;
  DecodeResult result;
};

class Decompressor : public Wrapped<Decompressor> {
 public:
  static constexpr napi_type_tag kTypeTag = {0x2f8c61d4a7b05e93ULL,
                                             0xc4170b9ee6d2a358ULL};
  static constexpr const char* kClassName = "Decompressor";

  static Napi::Function Define(Napi::Env env);

  // new Decompressor(concatenated: boolean, threads?: integer 1..1024,
  // outputLimit?: integer >= 0). More than one thread (concatenated only)
  // decodes blocks in parallel, none past outputLimit bytes of output.
  explicit Decompressor(const Napi::CallbackInfo& info);
  void Finalize(Napi::BasicEnv env) override { Finalized(env); }

  // decompress(data: TypedArray | DataView, maxLength: integer >= -1,
  //            last?: boolean): Buffer. `last`: no input follows data.
  Napi::Value Decompress(const Napi::CallbackInfo& info);
  // decompressAsync(data, maxLength): Promise<Buffer>; data is copied before
  // this returns.
  Napi::Value DecompressAsync(const Napi::CallbackInfo& info);
  // close(): frees libbzip2's state now (after the pending step, if any).
  Napi::Value Close(const Napi::CallbackInfo& info);
  // Single stream: its end was reached.
  Napi::Value Eof(const Napi::CallbackInfo& info);
  // No output is pending inside: more comes only from more input.
  Napi::Value NeedsInput(const Napi::CallbackInfo& info);
  // A stream has begun and not ended (input that stops now is truncated).
  Napi::Value InStream(const Napi::CallbackInfo& info);
  // Of the last call: input bytes used, streams ended, and the output bytes
  // up to the last of those ends.
  Napi::Value Consumed(const Napi::CallbackInfo& info);
  Napi::Value StreamsEnded(const Napi::CallbackInfo& info);
  Napi::Value LastEndOutput(const Napi::CallbackInfo& info);

  // For AsyncStep.
  void RunJob(DecompressJob* job);
  Napi::Value FinishJob(Napi::Env env, DecompressJob* job);

 private:
  // Checks the state and arguments and builds the job.
  DecompressJob Prepare(const Napi::CallbackInfo& info, InputUse use);
  // Ends the decoder and takes its memory off V8's books.
  void Release(Napi::BasicEnv env) override;

  std::unique_ptr<Decoder> decoder_;
  DecodeResult last_;
  bool close_requested_ = false;
};

}  // namespace bz2napi

#endif  // BZ2_NAPI_DECOMPRESSOR_H_
