/**
 * `BZ2Compressor`: Python's `bz2.BZ2Compressor` for Node.
 * @packageDocumentation
 */
import { CompressEngine } from './compress-engine';
import { busyError, bz2Error, invalidThisError } from './errors';
import { checkThreads } from './options';
import { SerialQueue } from './serial-queue';
import { ownedConcat, ownedConcatYielding } from './units';
import { checkLevel, checkOptions, hold, toBytes, type BZ2Input } from './validate';

/** Options of the {@link BZ2Compressor} constructor. */
export interface BZ2CompressorOptions {
  /**
   * Threads to compress blocks with, an integer from 1 to 1024 (default 1, as Python's
   * compressor is single-threaded). Changes speed only, never the output bytes.
   */
  threads?: number | undefined;
}

/**
 * An incremental bzip2 compressor: feed data with {@link BZ2Compressor.compress}, end the stream
 * with {@link BZ2Compressor.flush}. The concatenated outputs are one bzip2 stream, byte for byte
 * what `bzip2 -N` and Python's `bz2.compress(data, N)` produce, whatever the chunking.
 *
 * @remarks
 * Blocks are compressed by the package's own block codec (our block sort and block writer),
 * with exactly the bytes of libbzip2 1.0.8. With one thread (the default), `compress` and
 * `flush` compress on the calling thread; with more, they hand the blocks to the addon's threads
 * and wait for them. `compressAsync` and `flushAsync` always run off the calling thread, one at a
 * time in call order, and a synchronous call while any is pending throws `ERR_BZ2_BUSY`.
 *
 * The native memory of the stream is reported to V8, so that dropped compressors are collected
 * promptly: with one thread, once `compress` has compressed a block, about 8 × 100 kB × level of
 * work arrays (7.6 MB at level 9), plus a bound on the input held. It is released as soon as the
 * stream is flushed.
 *
 * @example
 * ```ts
 * import { BZ2Compressor } from 'bz2-napi';
 * const compressor = new BZ2Compressor(9);
 * const parts = [compressor.compress('hello '), compressor.compress('world'), compressor.flush()];
 * const bz2 = Buffer.concat(parts); // a complete .bz2 stream
 * ```
 */
export class BZ2Compressor {
  readonly #engine: CompressEngine;
  readonly #queue = new SerialQueue();
  #flushed = false;

  /** Throws `ERR_INVALID_THIS` unless `self` was made by this constructor (a brand check). */
  static #check(self: unknown): asserts self is BZ2Compressor {
    if (typeof self !== 'object' || self === null || !(#engine in self)) {
      throw invalidThisError('BZ2Compressor');
    }
  }

  /**
   * Creates a compressor.
   * @param compresslevel - block size in units of 100 kB, an integer from 1 to 9 (default 9).
   * @param options - `threads`: how many threads compress blocks, an integer from 1 to 1024
   * (default 1); the bytes are the same with any number.
   * @throws TypeError `ERR_INVALID_ARG_TYPE` if `compresslevel` is given and is not a number, if
   * `options` is given and is not an object, or if `options.threads` is given and is not a number.
   * @throws RangeError `ERR_OUT_OF_RANGE` if `compresslevel` is not an integer from 1 to 9, or
   * `options.threads` not an integer from 1 to 1024.
   * @example
   * ```ts
   * const compressor = new BZ2Compressor(9, { threads: 4 }); // same bytes, up to 4 cores
   * ```
   */
  constructor(compresslevel?: number, options?: BZ2CompressorOptions) {
    const level = checkLevel(compresslevel, 'compresslevel');
    const threads = checkThreads(checkOptions(options, 'options')['threads'], 'options.threads', 1);
    this.#engine = new CompressEngine(level, threads);
  }

  /**
   * Compresses `data`; returns the output libbzip2 releases now, often an empty Buffer (output
   * comes a block at a time). The input is not modified and not kept.
   * @param data - bytes, or a string encoded as UTF-8.
   * @returns a new Buffer, possibly empty.
   * @throws TypeError `ERR_INVALID_ARG_TYPE` if `data` is not a {@link BZ2Input}.
   * @throws Error `ERR_BZ2_BUSY` while asynchronous work on this compressor is pending.
   * @throws Error `ERR_BZ2_FLUSHED` (`Compressor has been flushed`) after a flush.
   * @throws Error `ERR_INVALID_STATE` after an earlier call failed (its stream is lost).
   * @throws TypeError `ERR_INVALID_THIS` when called on anything but a BZ2Compressor.
   */
  compress(data: BZ2Input): Buffer {
    BZ2Compressor.#check(this);
    const bytes = toBytes(data, 'data');
    if (this.#queue.busy) throw busyError();
    this.#checkOpen('compress');
    return this.#engine.compress(bytes);
  }

  /**
   * Finishes the stream and returns the rest of the output; the compressor cannot be used
   * afterwards and its native memory is freed before this returns.
   * @returns a new Buffer; right after construction, the 14-byte empty stream.
   * @throws Error `ERR_BZ2_BUSY` while asynchronous work on this compressor is pending.
   * @throws Error `ERR_BZ2_FLUSHED` (`Repeated call to flush()`) on a second call.
   */
  flush(): Buffer {
    BZ2Compressor.#check(this);
    if (this.#queue.busy) throw busyError();
    this.#checkOpen('flush');
    this.#flushed = true;
    return this.#engine.flush();
  }

  /**
   * {@link BZ2Compressor.compress} off the main thread, on the addon's own threads. Large inputs
   * are fed one block's worth at a time, so that no step holds a thread much longer than one
   * block.
   * @param data - bytes, or a string encoded as UTF-8. Leave it untouched until the promise
   * settles (as with `node:zlib`): each step copies the block it reads as it starts. A buffer
   * detached meanwhile rejects with `ERR_INVALID_STATE`.
   * @returns a promise of a new Buffer, possibly empty.
   * @throws (rejects, never throws) the same errors as {@link BZ2Compressor.compress}, except
   * `ERR_BZ2_BUSY`: asynchronous calls queue up.
   */
  compressAsync(data: BZ2Input): Promise<Buffer> {
    let bytes: Uint8Array;
    try {
      BZ2Compressor.#check(this);
      bytes = toBytes(data, 'data');
      this.#checkOpen('compress');
    } catch (error) {
      return Promise.reject(error);
    }
    // Its length is taken now: a buffer detached before this call's turn is caught too.
    const input = hold(bytes);
    return this.#queue.run(async () => {
      this.#checkFailed(); // an earlier queued call may have failed
      const parts: Buffer[] = [];
      await this.#engine.write(input, (output) => parts.push(output));
      return ownedConcatYielding(parts);
    });
  }

  /**
   * {@link BZ2Compressor.flush} off the main thread, after every earlier asynchronous call.
   * @returns a promise of a new Buffer with the rest of the stream.
   * @throws (rejects) Error `ERR_BZ2_FLUSHED` (`Repeated call to flush()`) on a second flush.
   */
  flushAsync(): Promise<Buffer> {
    try {
      BZ2Compressor.#check(this);
      this.#checkOpen('flush');
    } catch (error) {
      return Promise.reject(error);
    }
    this.#flushed = true;
    return this.#queue.run(async () => {
      this.#checkFailed();
      const parts: Buffer[] = [];
      await this.#engine.end((output) => parts.push(output));
      return ownedConcat(parts);
    });
  }

  /**
   * The state rules: nothing after a flush, with Python's message for each method; nothing after
   * a failed call, which may have fed part of its input (going on would write a stream that
   * silently lacks the rest).
   */
  #checkOpen(method: 'compress' | 'flush'): void {
    if (this.#flushed) {
      throw bz2Error(
        'ERR_BZ2_FLUSHED',
        method === 'compress' ? 'Compressor has been flushed' : 'Repeated call to flush()',
      );
    }
    this.#checkFailed();
  }

  #checkFailed(): void {
    if (this.#engine.broken) {
      throw bz2Error(
        'ERR_INVALID_STATE',
        'An earlier call on this compressor failed; its stream cannot be completed',
      );
    }
  }
}
