/**
 * Transform streams for compression and decompression; their work runs on the libuv thread pool.
 * @packageDocumentation
 */
import { addAbortSignal, Transform, type TransformCallback } from 'node:stream';
import { ConcatenatedDecoder } from './concatenated-decoder';
import { compressSteps, openCompressEngine, type CompressEngine } from './compress-engine';
import {
  resolveCompressOptions,
  resolveDecompressOptions,
  type CompressOptions,
  type DecompressOptions,
} from './options';
import { DECOMPRESS_INPUT_UNIT, DECOMPRESS_OUTPUT_UNIT } from './units';
import { toBytes } from './validate';

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

/** @internal */
class CompressTransform extends Transform {
  readonly #engine: CompressEngine;
  readonly #level: number;

  constructor(level: number, threads: number) {
    super();
    this.#engine = openCompressEngine(level, threads);
    this.#level = level;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#compress(chunk).then(
      () => {
        callback();
      },
      (error: unknown) => {
        callback(asError(error));
      },
    );
  }

  override _flush(callback: TransformCallback): void {
    this.#engine.compressor.flushAsync().then(
      (output) => {
        callback(null, output);
      },
      (error: unknown) => {
        callback(asError(error));
      },
    );
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.#engine.cancel(); // queued blocks are of no use now
    callback(error);
  }

  async #compress(chunk: Buffer): Promise<void> {
    // The chunk is ours until the callback runs; with several threads each step settles once
    // the pipeline has room: that is the backpressure. A chunk whose buffer the writer detached
    // (while queued, or between steps) is an error, never silently shorter output.
    const next = compressSteps(this.#engine.compressor, toBytes(chunk, 'chunk'), this.#level);
    for (let step = next(); step && !this.destroyed; step = next()) {
      const output = await step;
      if (output.length > 0) this.push(output);
    }
  }
}

/** @internal */
class DecompressTransform extends Transform {
  readonly #decoder: ConcatenatedDecoder;
  #resume: (() => void) | undefined;

  constructor(limit: number) {
    super();
    this.#decoder = new ConcatenatedDecoder({
      limit,
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
    this.#drain().then(
      () => {
        callback();
      },
      (error: unknown) => {
        callback(asError(error));
      },
    );
  }

  override _flush(callback: TransformCallback): void {
    this.#drain().then(
      () => {
        try {
          this.#decoder.finish();
          callback();
        } catch (error) {
          callback(asError(error));
        } finally {
          this.#decoder.close();
        }
      },
      (error: unknown) => {
        callback(asError(error));
      },
    );
  }

  override _read(size: number): void {
    super._read(size);
    const resume = this.#resume;
    this.#resume = undefined;
    resume?.();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    const resume = this.#resume;
    this.#resume = undefined;
    resume?.(); // let a waiting #drain see `destroyed` and stop
    this.#decoder.close(); // libbzip2's memory goes now (after a step still running)
    callback(error);
  }

  /** Decodes all it can from the input so far, waiting whenever the reader is behind. */
  async #drain(): Promise<void> {
    for (let step = this.#decoder.next(); step && !this.destroyed; step = this.#decoder.next()) {
      let output: Buffer;
      try {
        output = await this.#decoder.decoder.decompressAsync(step.data, step.maxLength);
      } catch (error) {
        this.#decoder.fail(error);
        continue;
      }
      this.#decoder.accept(output);
      let behind = false;
      for (const part of this.#decoder.takeOutput()) behind = !this.push(part) || behind;
      // One chunk of input can expand a millionfold: decode on only once the reader catches up.
      if (behind && !this.destroyed) {
        await new Promise<void>((resolve) => {
          this.#resume = resolve;
        });
      }
    }
  }
}

/**
 * A Transform that compresses what is written to it into one bzip2 stream: the same bytes as
 * {@link compressSync} of the whole input.
 * @param options - {@link CompressOptions}: the level (default 9); `threads` (default: the
 * available cores) never changes the bytes; `signal` destroys the stream with an `AbortError`
 * when aborted, and queued blocks are dropped.
 * @returns a `stream.Transform`, usable with `stream.pipeline`. With one thread the work runs on
 * the libuv thread pool a block at a time; with more, on the addon's own threads, with at most
 * 2 × `threads` blocks in flight. Blocks come out in order as they are joined, at each write and
 * at the end.
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
 * default for a stream); `signal` destroys the stream with an `AbortError` when aborted.
 * @returns a `stream.Transform`. Invalid data ends it with an `'error'` carrying `ERR_BZ2_DATA`,
 * input that ends inside a stream with `ERR_BZ2_TRUNCATED`. Bytes after a complete stream that
 * are not a stream are ignored (as in Python); a later stream that fails after producing output
 * is an error, since that output has been passed on already.
 * @throws TypeError `ERR_INVALID_ARG_TYPE` / RangeError `ERR_OUT_OF_RANGE` for bad options.
 * @example
 * ```ts
 * await pipeline(createReadStream('data.bz2'), createDecompressStream(), createWriteStream('data'));
 * ```
 */
export function createDecompressStream(options?: DecompressOptions): Transform {
  const given = (options as { maxOutputLength?: unknown } | undefined)?.maxOutputLength;
  const { maxOutputLength, signal } = resolveDecompressOptions(options);
  return withSignal(
    new DecompressTransform(given === undefined ? Infinity : maxOutputLength),
    signal,
  );
}
