/**
 * The only place that loads the native addon. Keep these types in step with src/.
 * @internal
 * @packageDocumentation
 */
import nodeGypBuild from 'node-gyp-build';
import { constants } from 'node:buffer';
import { join } from 'node:path';

/** src/compressor.cc: one libbzip2 compression stream. @internal */
export interface NativeCompressor {
  /** Feeds bytes with BZ_RUN; returns whatever output libbzip2 released. */
  compress(data: ArrayBufferView): Buffer;
  /** Finishes the stream (BZ_FINISH) and frees libbzip2's state. */
  flush(): Buffer;
  /** compress() on the thread pool; `data` is copied before this returns. */
  compressAsync(data: ArrayBufferView): Promise<Buffer>;
  /** flush() on the thread pool. */
  flushAsync(): Promise<Buffer>;
}

/**
 * src/parallel_compressor.cc: one bzip2 stream compressed a block per pool thread. The same
 * shape as {@link NativeCompressor}, and the same bytes. @internal
 */
export interface NativeParallelCompressor extends NativeCompressor {
  /** Reads `data` in place; returns once every block cut from it is compressed. */
  compress(data: ArrayBufferView): Buffer;
  /**
   * Copies `data`; settles once fewer than 2 × threads blocks are in flight, with the output
   * joined so far.
   */
  compressAsync(data: ArrayBufferView): Promise<Buffer>;
  /** Drops queued blocks; pending and later calls reject with `ABORT_ERR`. */
  cancel(): void;
  /** The threads used: the request, capped at the pool's most (64). */
  readonly threads: number;
}

/** src/decompressor.cc: one libbzip2 decompression stream with Python's input buffer. @internal */
export interface NativeDecompressor {
  /** maxLength: -1 for no limit, else a safe integer of at least 0. */
  decompress(data: ArrayBufferView, maxLength: number): Buffer;
  /** decompress() on the thread pool; `data` is copied before this returns. */
  decompressAsync(data: ArrayBufferView, maxLength: number): Promise<Buffer>;
  readonly eof: boolean;
  readonly needsInput: boolean;
  /** A new Buffer on every read. */
  readonly unusedData: Buffer;
}

/** The exports of src/addon.cc. @internal */
export interface NativeBinding {
  /** `new Compressor(level)`, level an integer 1..9 (checked again natively). */
  readonly Compressor: new (level: number) => NativeCompressor;
  /** `new ParallelCompressor(level, threads)`, threads an integer 1..1024. */
  readonly ParallelCompressor: new (level: number, threads: number) => NativeParallelCompressor;
  /** `new Decompressor()`. */
  readonly Decompressor: new () => NativeDecompressor;
  /** Tells the addon the largest Buffer this runtime can make. */
  setMaxBufferLength(length: number): void;
  /** V8's total of external memory reported by addons (for tests of memory accounting). */
  externalMemory(): number;
  /** BZ2_bzlibVersion(), e.g. `1.0.8, 13-Jul-2019`. */
  readonly bzlibVersion: string;
}

/** The loaded addon. @internal */
export const native = nodeGypBuild(join(__dirname, '..')) as NativeBinding;
native.setMaxBufferLength(constants.MAX_LENGTH);
