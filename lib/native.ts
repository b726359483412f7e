/**
 * The only place that loads the native addon. Keep these types in step with src/.
 * @internal
 * @packageDocumentation
 */
import nodeGypBuild from 'node-gyp-build';
import { bz2Error, codeOf } from './errors';
import { constants } from 'node:buffer';
import { join } from 'node:path';

/**
 * The shape both native compressors share. src/compressor.cc, libbzip2's own stream, has only
 * this; lib/ never makes one (it is the tests' in-process reference, see
 * test/helpers/reference.ts). @internal
 */
export interface NativeCompressor {
  /** Feeds bytes with BZ_RUN; returns whatever output libbzip2 released. */
  compress(data: ArrayBufferView): Buffer;
  /** Finishes the stream (BZ_FINISH) and frees libbzip2's state. */
  flush(): Buffer;
  /** compress() on the thread pool; `data` is copied before this returns. */
  compressAsync(data: ArrayBufferView): Promise<Buffer>;
  /** flush() on the thread pool. */
  flushAsync(): Promise<Buffer>;
  /**
   * Stops the stream: a call in flight rejects with `ABORT_ERR` once it ends (its result dropped),
   * and so do later calls; the native memory goes as soon as no thread uses it. No effect once
   * the stream has ended.
   */
  cancel(): void;
}

/**
 * src/parallel_compressor.cc: one bzip2 stream compressed block by block through our codec, the
 * compressor behind every front door. The same shape as {@link NativeCompressor}, and the same
 * bytes as libbzip2's stream; output comes when libbzip2's does (nothing before the first block),
 * up to 3 bytes ahead of it (libbzip2 keeps up to 31 bits in its bit buffer). @internal
 */
export interface NativeParallelCompressor extends NativeCompressor {
  /**
   * Reads `data` in place; returns once every block cut from it is compressed: on the calling
   * thread with one thread, on the pool with more.
   */
  compress(data: ArrayBufferView): Buffer;
  /**
   * Copies `data`; settles once fewer than 2 × min(threads, cores) blocks are in flight, with the output
   * joined so far.
   */
  compressAsync(data: ArrayBufferView): Promise<Buffer>;
  /** Also drops the queued blocks. */
  cancel(): void;
  /** The threads used: the request, capped at the pool's most (64). */
  readonly threads: number;
}

/**
 * src/decompressor.cc: one bzip2 stream, or (concatenated) streams back to back. It keeps no
 * input between calls: each call reads its `data` and reports how much it used (a parallel
 * decoder copies in what it takes, a few blocks ahead of its output). @internal
 */
export interface NativeDecompressor {
  /**
   * Reads `data` in place. maxLength: -1 for no limit, else a safe integer of at least 0; even
   * with 0, libbzip2 runs once (headers are read, a stream end or bad data is found). `last`:
   * no input follows `data`, so what it leaves unresolved is decided now.
   */
  decompress(data: ArrayBufferView, maxLength: number, last?: boolean): Buffer;
  /** decompress() on the thread pool; `data` is copied before this returns. */
  decompressAsync(data: ArrayBufferView, maxLength: number, last?: boolean): Promise<Buffer>;
  /** Frees libbzip2's memory now (after the pending call, if any); later calls fail. */
  close(): void;
  /** Single stream: its end was reached. */
  readonly eof: boolean;
  /** Nothing is pending inside: more output needs more input. */
  readonly needsInput: boolean;
  /** A stream has begun and not ended. */
  readonly inStream: boolean;
  /** Of the last call: the bytes of its `data` used. */
  readonly consumed: number;
  /** Of the last call: the streams whose end it read. */
  readonly streamsEnded: number;
  /** Of the last call: its output bytes up to the last stream end it read. */
  readonly lastEndOutput: number;
}

/**
 * The exports of src/addon.cc that lib/ uses. The addon also exports `Compressor` (libbzip2's own
 * stream), left out here so that lib/ cannot reach it: only the tests use it, as a reference.
 * @internal
 */
export interface NativeBinding {
  /** `new ParallelCompressor(level, threads)`, threads an integer 1..1024. */
  readonly ParallelCompressor: new (level: number, threads: number) => NativeParallelCompressor;
  /**
   * `new Decompressor(concatenated, threads?, outputLimit?)`: one stream, or streams back to
   * back; with `threads` above 1 (concatenated only) the blocks are decoded on the addon's pool,
   * none past `outputLimit` bytes of output in all.
   */
  readonly Decompressor: new (
    concatenated: boolean,
    threads?: number,
    outputLimit?: number,
  ) => NativeDecompressor;
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

/**
 * `new Native(...args)`, the one way lib/ makes a native object. Past its first step every
 * native failure is coded; the first step is the C++ object's own allocation, whose
 * std::bad_alloc node-addon-api reports as a plain Error: it gets its code here.
 * @internal
 */
export function construct<A extends unknown[], T>(Native: new (...args: A) => T, ...args: A): T {
  try {
    return new Native(...args);
  } catch (error) {
    if (
      codeOf(error) === undefined &&
      error instanceof Error &&
      error.message === 'std::bad_alloc'
    ) {
      throw bz2Error('ERR_BZ2_MEMORY', 'Insufficient memory for a native object');
    }
    throw error;
  }
}
