/**
 * Whole-buffer compression and decompression, synchronous and asynchronous.
 * @packageDocumentation
 */
import { throwIfAborted } from './abort';
import { ConcatenatedDecoder } from './concatenated-decoder';
import { CompressEngine } from './compress-engine';
import {
  resolveCompressOptions,
  resolveDecompressOptions,
  type CompressOptions,
  type DecompressOptions,
} from './options';
import {
  DECOMPRESS_INPUT_UNIT,
  DECOMPRESS_OUTPUT_UNIT,
  ownedConcat,
  ownedConcatYielding,
} from './units';
import { hold, toBytes, type BZ2Input } from './validate';

/**
 * Compresses `data` into one bzip2 stream: the same bytes as `bzip2 -N`, Python's
 * `bz2.compress(data, N)` and {@link BZ2Compressor}, whatever `threads` is.
 * @param data - bytes, or a string encoded as UTF-8.
 * @param options - the level (1 to 9, default 9), or {@link CompressOptions}.
 * @returns a new Buffer.
 * @throws TypeError `ERR_INVALID_ARG_TYPE` for bad `data` or options of the wrong type.
 * @throws RangeError `ERR_OUT_OF_RANGE` for a level outside 1..9 or `threads` outside 1..1024.
 * @remarks Blocks the calling thread until done. With `threads` above 1 (the default on a
 * machine with several cores) the blocks are compressed on the addon's own threads, reading
 * `data` in place; with 1, libbzip2 runs on the calling thread. `signal` is checked for its type
 * only.
 * @example
 * ```ts
 * const bz2 = compressSync('hello', 9);
 * ```
 */
export function compressSync(data: BZ2Input, options?: number | CompressOptions): Buffer {
  const bytes = toBytes(data, 'data');
  const { level, threads } = resolveCompressOptions(options);
  // All input with BZ_RUN, then BZ_FINISH, exactly as BZ2Compressor: finishing from the first
  // call (BZ2_bzBuffToBuffCompress) gives other bytes when the input ends as a block fills.
  return new CompressEngine(level, threads).compressWhole(bytes);
}

/**
 * {@link compressSync} off the main thread, on the addon's own threads, with at most
 * 2 × min(`threads`, cores) blocks in flight. The event loop keeps ticking and an abort is
 * noticed within about one block.
 * @param data - bytes, or a string encoded as UTF-8. Leave it untouched until the promise
 * settles (as with `node:zlib`); a buffer detached meanwhile rejects with `ERR_INVALID_STATE`.
 * @param options - the level, or {@link CompressOptions}.
 * @returns a promise of a new Buffer.
 * @throws (rejects) the errors of {@link compressSync}, and an `AbortError` (`ABORT_ERR`) when
 * `signal` aborts; queued blocks are then dropped.
 */
export async function compress(
  data: BZ2Input,
  options?: number | CompressOptions,
): Promise<Buffer> {
  const bytes = toBytes(data, 'data');
  const { level, threads, signal } = resolveCompressOptions(options);
  throwIfAborted(signal);
  const engine = new CompressEngine(level, threads);
  const parts: Buffer[] = [];
  const emit = (output: Buffer): void => {
    parts.push(output);
  };
  await engine.write(hold(bytes), emit, signal);
  await engine.end(emit, signal);
  return ownedConcatYielding(parts);
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
 * @remarks Blocks the calling thread until done. With `threads` above 1 (the default on a
 * machine with several cores) the blocks of each stream are decoded at once on the addon's own
 * threads, a few blocks ahead of the output (at most 2 × min(`threads`, cores) in flight, each
 * holding at most 8 MiB of output); the output and any error are exactly those of `threads: 1`,
 * which runs libbzip2 on the calling thread. `signal` is checked for its type only.
 * @example
 * ```ts
 * const text = decompressSync(compressSync('hello')).toString(); // 'hello'
 * ```
 */
export function decompressSync(data: BZ2Input, options?: DecompressOptions): Buffer {
  const bytes = toBytes(data, 'data');
  const { maxOutputLength, threads } = resolveDecompressOptions(options);
  const decoder = new ConcatenatedDecoder({
    limit: maxOutputLength,
    threads,
    stepOutput: Infinity,
    stepInput: Infinity, // read in place, all streams in one call
    holdBack: true,
  });
  decoder.push(bytes);
  decoder.endInput();
  decoder.runSync();
  decoder.end();
  return ownedConcat(decoder.takeOutput());
}

/**
 * {@link decompressSync} off the main thread, in steps of about 1 MiB of output on the libuv
 * thread pool (with `threads` above 1 a step waits there for the blocks that the addon's own
 * threads decode).
 * @param data - the compressed bytes; the same rule as for {@link compress}.
 * @param options - {@link DecompressOptions}.
 * @returns a promise of a new Buffer.
 * @throws (rejects) the errors of {@link decompressSync}, and an `AbortError` (`ABORT_ERR`) when
 * `signal` aborts.
 */
export async function decompress(data: BZ2Input, options?: DecompressOptions): Promise<Buffer> {
  const bytes = toBytes(data, 'data');
  const { maxOutputLength, threads, signal } = resolveDecompressOptions(options);
  throwIfAborted(signal);
  const decoder = new ConcatenatedDecoder({
    limit: maxOutputLength,
    threads,
    stepOutput: DECOMPRESS_OUTPUT_UNIT,
    stepInput: DECOMPRESS_INPUT_UNIT, // each step copies what it reads
    holdBack: true,
  });
  decoder.push(bytes);
  decoder.endInput();
  await decoder.runAsync(signal);
  decoder.end();
  return ownedConcatYielding(decoder.takeOutput());
}
