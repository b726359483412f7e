/**
 * ES module entry: the same objects as the CommonJS entry (one addon, one class identity).
 * @packageDocumentation
 */
export {
  BZ2Compressor,
  BZ2Decompressor,
  bzlibVersion,
  compress,
  compressSync,
  createCompressStream,
  createDecompressStream,
  decompress,
  decompressSync,
} from './index.js';
export type {
  BZ2CompressorOptions,
  BZ2ErrorCode,
  BZ2Input,
  CompressOptions,
  DecompressOptions,
} from './index.js';
