/**
 * Which native compressor serves a one-shot call or a stream: libbzip2's own stream for one
 * thread, the block-parallel pipeline for more. Both write the same bytes. And the one loop that
 * feeds either of them asynchronously, a block's worth per step, for every front door.
 * @internal
 * @packageDocumentation
 */
import { native, type NativeCompressor } from './native';
import { compressUnit } from './units';
import { checkIntact } from './validate';

/** A native compressor, and how to abandon its work. @internal */
export interface CompressEngine {
  readonly compressor: NativeCompressor;
  /** Stops queued blocks; running ones finish in the background and are dropped. */
  cancel(): void;
}

/** @internal */
export function openCompressEngine(level: number, threads: number): CompressEngine {
  if (threads === 1) {
    // libbzip2 itself: nothing to gain from the pipeline's cutting and joining.
    return { compressor: new native.Compressor(level), cancel: () => undefined };
  }
  const parallel = new native.ParallelCompressor(level, threads);
  return {
    compressor: parallel,
    cancel: () => {
      parallel.cancel();
    },
  };
}

/**
 * The asynchronous steps that feed `bytes` to `compressor`, one block's worth at `level` each:
 * every call starts the next step and returns its promise, or undefined when all is fed. Each
 * step copies the part it reads as it starts (no large copy up front, which would stall the event
 * loop); the caller leaves the input untouched until the last settles, as with `node:zlib`.
 * @throws Error `ERR_INVALID_STATE` (from a call) when `bytes` was detached or resized meanwhile:
 * never a short output without an error.
 * @internal
 */
export function compressSteps(
  compressor: NativeCompressor,
  bytes: Uint8Array,
  level: number,
): () => Promise<Buffer> | undefined {
  const length = bytes.byteLength;
  const unit = compressUnit(level);
  let offset = 0;
  return () => {
    if (offset >= length) return undefined;
    checkIntact(bytes, length);
    const part = bytes.subarray(offset, offset + unit);
    offset += unit;
    return compressor.compressAsync(part);
  };
}
