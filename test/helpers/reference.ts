/**
 * libbzip2's own stream compressor (src/compressor.cc over BZ2_bzCompress), which the addon still
 * exports only to be the tests' in-process reference: lib/ compresses through the block pipeline
 * and our codec, and lib/native.ts leaves this class out of its types so that lib/ cannot use it.
 */
import { native, type NativeCompressor } from '../../lib/native';
import type { BZ2Input } from '../../lib/index';

/** `new Compressor(level)`, level an integer 1..9 (checked natively). */
export const ReferenceCompressor = (
  native as unknown as { readonly Compressor: new (level: number) => NativeCompressor }
).Compressor;

/** `data` compressed by libbzip2 in process, all of it with BZ_RUN, then BZ_FINISH. */
export function referenceCompress(data: BZ2Input, level: number): Buffer {
  const bytes =
    typeof data === 'string'
      ? Buffer.from(data, 'utf8')
      : ArrayBuffer.isView(data)
        ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
        : new Uint8Array(data);
  const compressor = new ReferenceCompressor(level);
  return Buffer.concat([compressor.compress(bytes), compressor.flush()]);
}
