/**
 * Transform streams for compression and decompression; their work runs off the main thread
 * (compression on the addon's own threads; decompression on the libuv thread pool, and with
 * several threads the blocks on the addon's own).
 * @packageDocumentation
 */
import { addAbortSignal, Transform, type TransformCallback } from 'node:stream';
import { ConcatenatedDecoder } from './concatenated-decoder';
import { CompressEngine } from './compress-engine';
import {
  resolveCompressOptions,
  resolveDecompressOptions,
  type CompressOptions,
  type DecompressOptions,
} from './options';
import { DECOMPRESS_INPUT_UNIT, DECOMPRESS_OUTPUT_UNIT } from './units';
import { hold, toBytes } from './validate';

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * Destroys `stream` with an AbortError when `signal` aborts. Attached after construction (not
 * through the Transform constructor's `signal` option), so that an already aborted signal never
 * destroys a half-built object.
 */
function withSignal(stream: Transform, signal: AbortSignal | undefined): Transform {
  return signal ? addAbortSignal(signal, stream) : stream;
}

/** Settles a Transform callback from a promise. */
function settle(work: Promise<void>, callback: TransformCallback): void {
  work.then(
    () => {
      callback();
    },
    (error: unknown) => {
      callback(asError(error));
    },
  );
}

/** @internal */
class CompressTransform extends Transform {
  readonly #engine: CompressEngine;
  readonly #emit = (output: Buffer): void => {
    this.push(output);
  };

  constructor(level: number, threads: number) {
    super();
    this.#engine = new CompressEngine(level, threads);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    // The chunk is ours until the callback runs; with several threads each step settles once
    // the pipeline has room: that is the backpressure. A chunk whose buffer the writer detached
    // (while queued, or between steps) is an error, never silently shorter output.
    let chunkBytes: Uint8Array;
    try {
      chunkBytes = toBytes(chunk, 'chunk');
    } catch (error) {
      callback(asError(error));
      return;
    }
    settle(this.#engine.write(hold(chunkBytes), this.#emit), callback);
  }

  override _flush(callback: TransformCallback): void {
    settle(this.#engine.end(this.#emit), callback);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.#engine.cancel(); // queued blocks are of no use now; a step in flight rejects
    callback(error);
  }
}

/** @internal */
class DecompressTransform extends Transform {
  readonly #decoder: ConcatenatedDecoder;
  readonly #stop = new AbortController();
  #resume: (() => void) | undefined;

  constructor(limit: number, threads: number) {
    super();
    this.#decoder = new ConcatenatedDecoder({
      limit,
      threads,
      stepOutput: DECOMPRESS_OUTPUT_UNIT,
      stepInput: DECOMPRESS_INPUT_UNIT,
      holdBack: false,
    });
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      this.#decoder.push(toBytes(chunk, 'chunk')); // a detached chunk is an error, not empty
    } catch (error) {
      callback(asError(error));
      return;
    }
    settle(this.#drain(), callback);
  }

  override _flush(callback: TransformCallback): void {
    this.#decoder.endInput();
    settle(
      this.#drain().then(() => {
        this.#decoder.end();
      }),
      callback,
    );
  }

  override _read(size: number): void {
    super._read(size);
    const resume = this.#resume;
    this.#resume = undefined;
    resume?.();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.#stop.abort(); // a drain in progress stops at once
    const resume = this.#resume;
    this.#resume = undefined;
    resume?.();
    this.#decoder.close(); // libbzip2's memory goes now (after a step still running)
    callback(error);
  }

  /** Whether bytes after the last complete stream were ignored, not being a stream. */
  get ignoredTrailing(): boolean {
    return this.#decoder.ignoredTrailing;
  }

  /** Decodes all it can from the input so far, handing output on as it comes. */
  async #drain(): Promise<void> {
    await this.#decoder.runAsync(this.#stop.signal, () => this.#handOn());
    await this.#handOn();
  }

  /**
   * Hands on the output so far. One chunk of input can expand a millionfold: when the reader is
   * behind, waits until it catches up (or the stream is destroyed).
   */
  async #handOn(): Promise<void> {
    let behind = false;
    for (const part of this.#decoder.takeOutput()) behind = !this.push(part) || behind;
    if (behind && !this.destroyed) {
      await new Promise<void>((resolve) => {
        this.#resume = resolve;
      });
    }
  }
}

/**
 * A Transform that compresses what is written to it into one bzip2 stream: the same bytes as
 * {@link compressSync} of the whole input.
 * @param options - {@link CompressOptions}: the level (default 9); `threads` (default: the
 * available cores) never changes the bytes; `signal` destroys the stream with an `AbortError`
 * when aborted, and queued blocks are dropped.
 * @returns a `stream.Transform`, usable with `stream.pipeline`. The work runs on the addon's own
 * threads, with at most 2 × min(`threads`, cores) blocks in flight. Blocks come out in order as
 * they are joined, at each write and at the end.
 * @throws TypeError `ERR_INVALID_ARG_TYPE` / RangeError `ERR_OUT_OF_RANGE` for bad options.
 * @example
 * ```ts
 * await pipeline(createReadStream('data'), createCompressStream({ level: 9 }), createWriteStream('data.bz2'));
 * ```
 */
export function createCompressStream(options?: CompressOptions): Transform {
  const { level, threads, signal } = resolveCompressOptions(options);
  return withSignal(new CompressTransform(level, threads), signal);
}

/**
 * A Transform that decompresses bzip2 data written to it, concatenated streams included.
 * @param options - {@link DecompressOptions}: `maxOutputLength` caps the total output (no cap by
 * default for a stream); `threads` (default: the available cores) decodes the blocks of each
 * stream at once, a few blocks ahead of the reader, never changing the output or the error;
 * `signal` destroys the stream with an `AbortError` when aborted.
 * @returns a `stream.Transform`. Invalid data ends it with an `'error'` carrying `ERR_BZ2_DATA`,
 * input that ends inside a stream with `ERR_BZ2_TRUNCATED`. Bytes after a complete stream that
 * are not a stream are ignored (as in Python); a later stream that fails after producing output
 * is an error, since that output has been passed on already. Which of the two it is depends on
 * the input alone, not on how it is written or on `threads`.
 * @throws TypeError `ERR_INVALID_ARG_TYPE` / RangeError `ERR_OUT_OF_RANGE` for bad options.
 * @example
 * ```ts
 * await pipeline(createReadStream('data.bz2'), createDecompressStream(), createWriteStream('data'));
 * ```
 */
export function createDecompressStream(options?: DecompressOptions): Transform {
  const given = (options as { maxOutputLength?: unknown } | undefined)?.maxOutputLength;
  const { maxOutputLength, threads, signal } = resolveDecompressOptions(options);
  return withSignal(
    new DecompressTransform(given === undefined ? Infinity : maxOutputLength, threads),
    signal,
  );
}

/**
 * Whether `stream`, made by {@link createDecompressStream}, ignored bytes after its last
 * complete stream that were not a stream: bzip2 warns of "trailing garbage" there, and the
 * command line does too.
 * @internal
 */
export function ignoredTrailingData(stream: Transform): boolean {
  return stream instanceof DecompressTransform && stream.ignoredTrailing;
}
