/**
 * `BZ2Compressor`: Python's `bz2.BZ2Compressor` for Node.
 * @packageDocumentation
 */
import { CompressEngine } from './compress-engine';
import { busyError, bz2Error, invalidThisError } from './errors';
import { SerialQueue } from './serial-queue';
import { ownedConcat, ownedConcatYielding } from './units';
import { checkLevel, hold, toBytes, type BZ2Input } from './validate';

/**
 * An incremental bzip2 compressor: feed data with {@link BZ2Compressor.compress}, end the stream
 * with {@link BZ2Compressor.flush}. The concatenated outputs are one bzip2 stream, byte for byte
 * what `bzip2 -N` and Python's `bz2.compress(data, N)` produce, whatever the chunking.
 *
 * @remarks
 * libbzip2 holds about 8 × 100 kB × level of native memory per compressor. It is reported to V8,
 * so that dropped compressors are collected promptly, and released as soon as the stream is
 * flushed. `compress` and `flush` run on the calling thread; `compressAsync` and `flushAsync` run
 * on the libuv thread pool, one at a time in call order, and a synchronous call while any is
 * pending throws `ERR_BZ2_BUSY`.
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
   * @throws TypeError `ERR_INVALID_ARG_TYPE` if `compresslevel` is given and is not a number.
   * @throws RangeError `ERR_OUT_OF_RANGE` if it is not an integer from 1 to 9.
   */
  constructor(compresslevel?: number) {
    this.#engine = new CompressEngine(checkLevel(compresslevel, 'compresslevel'), 1);
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
   * {@link BZ2Compressor.compress} on the libuv thread pool. Large inputs are compressed one
   * block's worth at a time, so that no step holds a pool thread much longer than one block.
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
   * {@link BZ2Compressor.flush} on the libuv thread pool, after every earlier asynchronous call.
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
