/**
 * Whole-buffer compression and decompression.
 * @packageDocumentation
 */
import { native } from './native';
import {
  resolveCompressOptions,
  resolveDecompressOptions,
  type CompressOptions,
  type DecompressOptions,
} from './options';
import { toBytes, type BZ2Input } from './validate';

/**
 * Compresses `data` into one bzip2 stream: the same bytes as `bzip2 -N`, Python's
 * `bz2.compress(data, N)` and {@link BZ2Compressor}.
 * @param data - bytes, or a string encoded as UTF-8.
 * @param options - the level (1 to 9, default 9), or {@link CompressOptions}.
 * @returns a new Buffer.
 * @throws TypeError `ERR_INVALID_ARG_TYPE` for bad `data` or options of the wrong type.
 * @throws RangeError `ERR_OUT_OF_RANGE` for a level outside 1..9 or `threads` below 1.
 * @remarks Runs on the calling thread. `threads` does not change the output; this version
 * compresses on one thread and `signal` is only checked for its type.
 * @example
 * ```ts
 * const bz2 = compressSync('hello', 9);
 * ```
 */
export function compressSync(data: BZ2Input, options?: number | CompressOptions): Buffer {
  const bytes = toBytes(data, 'data');
  const { level } = resolveCompressOptions(options);
  return native.compress(bytes, level);
}

/**
 * Decompresses bzip2 data: one stream or several concatenated (as `bzip2 -d` and Python's
 * `bz2.decompress` do).
 * @param data - the compressed bytes.
 * @param options - {@link DecompressOptions}.
 * @returns a new Buffer; empty for empty input.
 * @throws Error `ERR_BZ2_DATA` (`Invalid data stream`) when the first stream is not valid bzip2
 * data. Bytes after at least one complete stream that are not a valid stream are ignored.
 * @throws Error `ERR_BZ2_TRUNCATED` when the input ends inside a stream.
 * @throws RangeError `ERR_BUFFER_TOO_LARGE` when the output would exceed `maxOutputLength`.
 * @remarks Runs on the calling thread.
 * @example
 * ```ts
 * const text = decompressSync(compressSync('hello')).toString(); // 'hello'
 * ```
 */
export function decompressSync(data: BZ2Input, options?: DecompressOptions): Buffer {
  const bytes = toBytes(data, 'data');
  const { maxOutputLength } = resolveDecompressOptions(options);
  return native.decompress(bytes, maxOutputLength);
}
