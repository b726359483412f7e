/** A whole input compressed through one of the package's front doors, for identity checks. */
import {
  BZ2Compressor,
  compress,
  compressSync,
  createCompressStream,
  type BZ2Input,
} from '../../lib/index';
import { collect } from './streams';

/** The front doors that turn a whole input into one stream. */
export type Via = 'sync' | 'promise' | 'stream' | 'class' | 'classAsync';

export interface WholeOptions {
  readonly level: number;
  /** Ignored by 'class' and 'classAsync' (BZ2Compressor is libbzip2's own stream). */
  readonly threads?: number;
  readonly via: Via;
  /** How 'stream' is written (default: the input as one chunk). */
  readonly chunks?: readonly Buffer[];
}

/** libbzip2 in process, all input with BZ_RUN then BZ_FINISH: what every door must equal. */
export function compressWithClass(data: BZ2Input, level: number): Buffer {
  const compressor = new BZ2Compressor(level);
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
      return compressWithClass(input, level);
    case 'classAsync': {
      const compressor = new BZ2Compressor(level);
      return Buffer.concat([await compressor.compressAsync(input), await compressor.flushAsync()]);
    }
  }
}
