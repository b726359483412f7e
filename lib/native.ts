/**
 * The only place that loads the native addon. Keep these types in step with src/.
 * @internal
 * @packageDocumentation
 */
import nodeGypBuild from 'node-gyp-build';
import { join } from 'node:path';

/** src/compressor.cc: one libbzip2 compression stream. @internal */
export interface NativeCompressor {
  /** Feeds bytes with BZ_RUN; returns whatever output libbzip2 released. */
  compress(data: ArrayBufferView): Buffer;
  /** Finishes the stream (BZ_FINISH) and frees libbzip2's state. */
  flush(): Buffer;
}

/** src/decompressor.cc: one libbzip2 decompression stream with Python's input buffer. @internal */
export interface NativeDecompressor {
  /** maxLength: -1 for no limit, else a safe integer of at least 0. */
  decompress(data: ArrayBufferView, maxLength: number): Buffer;
  readonly eof: boolean;
  readonly needsInput: boolean;
  /** A new Buffer on every read. */
  readonly unusedData: Buffer;
}

/** The exports of src/addon.cc. @internal */
export interface NativeBinding {
  /** `new Compressor(level)`, level an integer 1..9 (checked again natively). */
  readonly Compressor: new (level: number) => NativeCompressor;
  /** `new Decompressor()`. */
  readonly Decompressor: new () => NativeDecompressor;
  /** src/one_shot_binding.cc: compressSync's engine; level an integer 1..9. */
  compress(data: ArrayBufferView, level: number): Buffer;
  /** decompressSync's engine: concatenated streams, output capped at maxOutputLength. */
  decompress(data: ArrayBufferView, maxOutputLength: number): Buffer;
  /** V8's total of external memory reported by addons (for tests of memory accounting). */
  externalMemory(): number;
  /** BZ2_bzlibVersion(), e.g. `1.0.8, 13-Jul-2019`. */
  readonly bzlibVersion: string;
}

/** The loaded addon. @internal */
export const native = nodeGypBuild(join(__dirname, '..')) as NativeBinding;
