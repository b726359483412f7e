/**
 * ES module entry: the same objects as the CommonJS entry (one addon, one class identity).
 * @packageDocumentation
 */
export { BZ2Compressor, bzlibVersion } from './index.js';
export type { BZ2Input, BZ2ErrorCode } from './index.js';
