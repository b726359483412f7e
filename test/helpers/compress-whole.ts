/** A whole input compressed through one of the package's front doors, for identity checks. */
import {
  BZ2Compressor,
  compress,
  compressSync,
  createCompressStream,
  type BZ2Input,
} from '../../lib/index';
import { referenceCompress } from './reference';
import { collect } from './streams';

/**
 * The front doors that turn a whole input into one stream, and 'reference': libbzip2's own
 * stream compressor in process (not a door; what the doors are compared with).
 */
export type Via = 'sync' | 'promise' | 'stream' | 'class' | 'classAsync' | 'reference';

export interface WholeOptions {
  readonly level: number;
  /** For 'class' and 'classAsync' too: BZ2Compressor's `threads` option (default 1). */
  readonly threads?: number;
  readonly via: Via;
  /** How 'stream' is written (default: the input as one chunk). */
  readonly chunks?: readonly Buffer[];
}

/** BZ2Compressor, all input in one compress() call, then flush(). */
export function compressWithClass(data: BZ2Input, level: number, threads?: number): Buffer {
  const compressor = new BZ2Compressor(level, { threads });
  return Buffer.concat([compressor.compress(data), compressor.flush()]);
}

/** `input` compressed through `options.via`. */
export async function compressWhole(input: Buffer, options: WholeOptions): Promise<Buffer> {
  const { level, threads, via } = options;
  switch (via) {
    case 'sync':
      return compressSync(input, { level, threads });
    case 'promise':
      return compress(input, { level, threads });
    case 'stream':
      return collect(options.chunks ?? [input], createCompressStream({ level, threads }));
    case 'class':
      return compressWithClass(input, level, threads);
    case 'reference':
      return referenceCompress(input, level);
    case 'classAsync': {
      const compressor = new BZ2Compressor(level, { threads });
      return Buffer.concat([await compressor.compressAsync(input), await compressor.flushAsync()]);
    }
  }
}
