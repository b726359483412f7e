/**
 * Which native compressor serves a one-shot call or a stream: libbzip2's own stream for one
 * thread, the block-parallel pipeline for more. Both write the same bytes.
 * @internal
 * @packageDocumentation
 */
import { native, type NativeCompressor } from './native';

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
