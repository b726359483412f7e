/**
 * bz2-napi: libbzip2 1.0.8 for Node.js through Node-API, with Python's `bz2` semantics and
 * output byte-identical to `bzip2 -N`.
 * @packageDocumentation
 */
import { native } from './native';

export { BZ2Compressor, type BZ2CompressorOptions } from './compressor';
export { BZ2Decompressor } from './decompressor';
export { compress, compressSync, decompress, decompressSync } from './one-shot';
export { createCompressStream, createDecompressStream } from './streams';
export type { CompressOptions, DecompressOptions } from './options';
export type { BZ2Input } from './validate';
export type { BZ2ErrorCode } from './errors';

/** The version string of the bundled libbzip2, e.g. `1.0.8, 13-Jul-2019`. */
export const bzlibVersion: string = native.bzlibVersion;
