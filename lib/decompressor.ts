/**
 * `BZ2Decompressor`: Python's `bz2.BZ2Decompressor` for Node.
 * @packageDocumentation
 */
import { busyError, bz2Error, codeOf } from './errors';
import { native, type NativeDecompressor } from './native';
import { SerialQueue } from './serial-queue';
import { DECOMPRESS_OUTPUT_UNIT, EMPTY, joinBuffersYielding } from './units';
import { checkInteger, checkIntact, toBytes, type BZ2Input } from './validate';

/**
 * An incremental decompressor for one bzip2 stream. Bytes that follow the end of the stream are
 * kept in {@link BZ2Decompressor.unusedData}; to read concatenated streams, start a new
 * decompressor on them (or use `decompressSync` / `decompress`).
 *
 * @remarks
 * With `maxLength`, at most that many bytes come out of a call; the rest stays inside and comes
 * out of later calls, which may pass empty input. Input that is not used yet is kept (copied)
 * inside the decompressor. After invalid data the decompressor is unusable. `decompress` runs on
 * the calling thread; `decompressAsync` on the libuv thread pool, one call at a time in call
 * order, and a synchronous call while any is pending throws `ERR_BZ2_BUSY`.
 *
 * @example
 * ```ts
 * import { BZ2Decompressor } from 'bz2-napi';
 * const decompressor = new BZ2Decompressor();
 * for (const chunk of chunks) process(decompressor.decompress(chunk));
 * if (!decompressor.eof) throw new Error('truncated');
 * ```
 */
export class BZ2Decompressor {
  readonly #native: NativeDecompressor;
  readonly #queue = new SerialQueue();
  #failed = false;

  /** Creates a decompressor. */
  constructor() {
    this.#native = new native.Decompressor();
  }

  /**
   * Decompresses `data`, returning at most `maxLength` bytes.
   * @param data - compressed bytes (the next part of the stream; may be empty).
   * @param maxLength - the most bytes to return, an integer of at least 0; -1 or undefined for
   * no limit.
   * @returns a new Buffer, possibly empty.
   * @throws TypeError `ERR_INVALID_ARG_TYPE` for bad `data` or a non-number `maxLength`.
   * @throws RangeError `ERR_OUT_OF_RANGE` for a `maxLength` below -1 or not an integer.
   * @throws Error `ERR_BZ2_BUSY` while asynchronous work on this decompressor is pending.
   * @throws Error `ERR_BZ2_EOF` (`End of stream already reached`) after the end of the stream.
   * @throws Error `ERR_BZ2_DATA` (`Invalid data stream`) for invalid data, and on every call after.
   */
  decompress(data: BZ2Input, maxLength?: number): Buffer {
    const { bytes, limit } = this.#check(data, maxLength);
    if (this.#queue.busy) throw busyError();
    this.#checkState();
    return this.#guard(() => this.#native.decompress(bytes, limit));
  }

  /**
   * {@link BZ2Decompressor.decompress} on the libuv thread pool. The work is done in steps of
   * about 1 MiB of output, so that no step holds a pool thread much longer than one block.
   * @param data - compressed bytes. Leave them untouched until the promise settles (as with
   * `node:zlib`); they are copied when this call's turn comes (at once if nothing is pending). A
   * buffer detached before then rejects with `ERR_INVALID_STATE`.
   * @param maxLength - as for {@link BZ2Decompressor.decompress}.
   * @returns a promise of a new Buffer, possibly empty.
   * @throws (rejects) the same errors as {@link BZ2Decompressor.decompress}, except
   * `ERR_BZ2_BUSY`: asynchronous calls queue up.
   */
  decompressAsync(data: BZ2Input, maxLength?: number): Promise<Buffer> {
    let bytes: Uint8Array;
    let limit: number;
    try {
      ({ bytes, limit } = this.#check(data, maxLength));
    } catch (error) {
      return Promise.reject(error);
    }
    const owned = bytes;
    const length = bytes.byteLength;
    return this.#queue.run(async () => {
      this.#checkState();
      checkIntact(owned, length); // read (and copied natively) only when its turn comes
      const budget = limit < 0 ? Infinity : limit;
      const parts: Buffer[] = [];
      let produced = 0;
      let input: Uint8Array = owned;
      for (;;) {
        const step = Math.min(budget - produced, DECOMPRESS_OUTPUT_UNIT);
        const part = await this.#guardAsync(this.#native.decompressAsync(input, step));
        input = EMPTY;
        parts.push(part);
        produced += part.length;
        // Go on only where this step's own cap, not the caller's limit, stopped the output.
        if (this.#native.eof || this.#native.needsInput || produced >= budget) break;
      }
      return joinBuffersYielding(parts);
    });
  }

  /** True once the end-of-stream marker has been reached. */
  get eof(): boolean {
    return this.#native.eof;
  }

  /** The bytes that followed the end of the stream (a new Buffer each time; empty before). */
  get unusedData(): Buffer {
    return this.#native.unusedData;
  }

  /**
   * False when `maxLength` stopped the last call before its output or input ran out: call again
   * (with empty input if need be) for more output. True when more input is needed.
   */
  get needsInput(): boolean {
    return this.#native.needsInput;
  }

  #check(data: unknown, maxLength: unknown): { bytes: Uint8Array; limit: number } {
    return {
      bytes: toBytes(data, 'data'),
      limit: checkInteger(maxLength, 'maxLength', -1, Number.MAX_SAFE_INTEGER, -1),
    };
  }

  #checkState(): void {
    if (this.#failed) throw bz2Error('ERR_BZ2_DATA', 'Invalid data stream');
    if (this.#native.eof) throw bz2Error('ERR_BZ2_EOF', 'End of stream already reached');
  }

  #guard(step: () => Buffer): Buffer {
    try {
      return step();
    } catch (error) {
      if (codeOf(error) === 'ERR_BZ2_DATA') this.#failed = true;
      throw error;
    }
  }

  async #guardAsync(step: Promise<Buffer>): Promise<Buffer> {
    try {
      return await step;
    } catch (error) {
      if (codeOf(error) === 'ERR_BZ2_DATA') this.#failed = true;
      throw error;
    }
  }
}
