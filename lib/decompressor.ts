/**
 * `BZ2Decompressor`: Python's `bz2.BZ2Decompressor` for Node.
 * @packageDocumentation
 */
import { bz2Error } from './errors';
import { native, type NativeDecompressor } from './native';
import { checkInteger, toBytes, type BZ2Input } from './validate';

/**
 * An incremental decompressor for one bzip2 stream. Bytes that follow the end of the stream are
 * kept in {@link BZ2Decompressor.unusedData}; to read concatenated streams, start a new
 * decompressor on them (or use `decompressSync`).
 *
 * @remarks
 * With `maxLength`, at most that many bytes come out of a call; the rest stays inside and comes
 * out of later calls, which may pass empty input. Input that is not used yet is kept (copied)
 * inside the decompressor. After invalid data the decompressor is unusable. Synchronous: runs on
 * the calling thread.
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
   * @throws Error `ERR_BZ2_EOF` (`End of stream already reached`) after the end of the stream.
   * @throws Error `ERR_BZ2_DATA` (`Invalid data stream`) for invalid data, and on every call after.
   */
  decompress(data: BZ2Input, maxLength?: number): Buffer {
    const bytes = toBytes(data, 'data');
    const limit = checkInteger(maxLength, 'maxLength', -1, Number.MAX_SAFE_INTEGER, -1);
    if (this.#failed) throw bz2Error('ERR_BZ2_DATA', 'Invalid data stream');
    if (this.#native.eof) throw bz2Error('ERR_BZ2_EOF', 'End of stream already reached');
    try {
      return this.#native.decompress(bytes, limit);
    } catch (error) {
      if ((error as { code?: unknown }).code === 'ERR_BZ2_DATA') this.#failed = true;
      throw error;
    }
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
}
