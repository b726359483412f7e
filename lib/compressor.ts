/**
 * `BZ2Compressor`: Python's `bz2.BZ2Compressor` for Node.
 * @packageDocumentation
 */
import { bz2Error } from './errors';
import { native, type NativeCompressor } from './native';
import { checkLevel, toBytes, type BZ2Input } from './validate';

/**
 * An incremental bzip2 compressor: feed data with {@link BZ2Compressor.compress}, end the stream
 * with {@link BZ2Compressor.flush}. The concatenated outputs are one bzip2 stream, byte for byte
 * what `bzip2 -N` and Python's `bz2.compress(data, N)` produce, whatever the chunking.
 *
 * @remarks
 * libbzip2 holds about 8 × 100 kB × level of native memory per compressor. It is reported to V8,
 * so that dropped compressors are collected promptly, and released as soon as `flush()` returns.
 * The methods are synchronous and run on the calling thread.
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
  readonly #native: NativeCompressor;
  #flushed = false;

  /**
   * Creates a compressor.
   * @param compresslevel - block size in units of 100 kB, an integer from 1 to 9 (default 9).
   * @throws TypeError `ERR_INVALID_ARG_TYPE` if `compresslevel` is given and is not a number.
   * @throws RangeError `ERR_OUT_OF_RANGE` if it is not an integer from 1 to 9.
   */
  constructor(compresslevel?: number) {
    this.#native = new native.Compressor(checkLevel(compresslevel, 'compresslevel'));
  }

  /**
   * Compresses `data`; returns the output libbzip2 releases now, often an empty Buffer (output
   * comes a block at a time). The input is not modified and not kept.
   * @param data - bytes, or a string encoded as UTF-8.
   * @returns a new Buffer, possibly empty.
   * @throws TypeError `ERR_INVALID_ARG_TYPE` if `data` is not a {@link BZ2Input}.
   * @throws Error `ERR_BZ2_FLUSHED` (`Compressor has been flushed`) after {@link BZ2Compressor.flush}.
   */
  compress(data: BZ2Input): Buffer {
    const bytes = toBytes(data, 'data');
    if (this.#flushed) throw bz2Error('ERR_BZ2_FLUSHED', 'Compressor has been flushed');
    return this.#native.compress(bytes);
  }

  /**
   * Finishes the stream and returns the rest of the output; the compressor cannot be used
   * afterwards and its native memory is freed before this returns.
   * @returns a new Buffer; right after construction, the 14-byte empty stream.
   * @throws Error `ERR_BZ2_FLUSHED` (`Repeated call to flush()`) on a second call.
   */
  flush(): Buffer {
    if (this.#flushed) throw bz2Error('ERR_BZ2_FLUSHED', 'Repeated call to flush()');
    this.#flushed = true;
    return this.#native.flush();
  }
}
