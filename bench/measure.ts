/**
 * Measures one contender on one dataset: compress once and check the output really is that
 * data (a broken peer must not be timed), then time compression and decompression.
 */
import { gunzipSync } from 'node:zlib';
import { decompressSync } from '../lib/index';
import type { Contender } from './contenders';
import type { Dataset } from './datasets';
import { fastest, timeOnce, type Budget } from './timing';

/** What happened to one direction of one contender. */
export type Outcome =
  | { readonly kind: 'timed'; readonly seconds: number; readonly runs: number }
  | { readonly kind: 'failed'; readonly reason: string }
  /** The tool cannot do this. */
  | { readonly kind: 'none' }
  /** Not measured here: the thread sweep times compression only. */
  | { readonly kind: 'skipped' };

export interface Measurement {
  readonly tool: string;
  readonly series: string;
  readonly threads: number;
  readonly compress: Outcome;
  readonly decompress: Outcome;
  /** Undefined when nothing was compressed. */
  readonly compressedBytes: number | undefined;
  /** Same bytes as `bzip2 -9`; undefined for gzip or without a reference. */
  readonly identical: boolean | undefined;
}

export interface Reference {
  /** `bzip2 -9`'s output for the dataset, already checked to decompress to it. */
  readonly bytes: Buffer;
  /** Which program made it. */
  readonly by: string;
}

export interface Conditions {
  readonly dataset: Dataset;
  readonly reference: Reference | undefined;
  readonly budget: Budget;
  /** For `slow` contenders' compression. */
  readonly slowBudget: Budget;
}

/** The fields of a measurement that compressed nothing usable. */
const noOutput = { compressedBytes: undefined, identical: undefined } as const;

const message = (error: unknown): string =>
  error instanceof Error ? (error.message.split('\n')[0] ?? error.name) : String(error);

/**
 * Why `packed` is not a valid encoding of `data` in `format`, or undefined when it is.
 * Our decompressSync reads concatenated streams, as pbzip2 writes them.
 */
export function roundTripError(
  format: Contender['format'],
  packed: Buffer,
  data: Buffer,
): string | undefined {
  try {
    const unpacked = format === 'gzip' ? gunzipSync(packed) : decompressSync(packed);
    return unpacked.equals(data) ? undefined : 'output does not decompress to the input';
  } catch (error) {
    return `output does not decompress: ${message(error)}`;
  }
}

async function timeDecompress(
  contender: Contender,
  packed: Buffer,
  conditions: Conditions,
): Promise<Outcome> {
  const decompress = contender.decompress;
  if (!decompress) return { kind: 'none' };
  try {
    const first = await timeOnce(() => decompress(packed));
    if (!first.result.equals(conditions.dataset.data)) {
      return { kind: 'failed', reason: 'decompressed output differs from the input' };
    }
    const best = await fastest(() => decompress(packed), conditions.budget, first.seconds);
    return { kind: 'timed', ...best };
  } catch (error) {
    return { kind: 'failed', reason: message(error) };
  }
}

/** Measures `contender`; decompression too when `withDecompress`. */
export async function measure(
  contender: Contender,
  conditions: Conditions,
  withDecompress: boolean,
): Promise<Measurement> {
  const { tool, series, threads } = contender;
  const data = conditions.dataset.data;
  const reference = conditions.reference?.bytes;
  const compress = contender.compress;
  const base = { tool, series, threads };

  if (!compress) {
    // A decompress-only peer reads bzip2's own output.
    return {
      ...base,
      compress: { kind: 'none' },
      decompress: reference
        ? await timeDecompress(contender, reference, conditions)
        : { kind: 'failed', reason: 'no bzip2 -9 output to decompress' },
      compressedBytes: undefined,
      identical: undefined,
    };
  }

  let packed: Buffer;
  let first: number;
  try {
    ({ result: packed, seconds: first } = await timeOnce(() => compress(data)));
  } catch (error) {
    const failed: Outcome = { kind: 'failed', reason: message(error) };
    return { ...base, compress: failed, decompress: { kind: 'skipped' }, ...noOutput };
  }
  const identical =
    contender.format === 'bzip2' && reference ? packed.equals(reference) : undefined;
  // Output equal to the checked reference needs no second check.
  const broken = identical ? undefined : roundTripError(contender.format, packed, data);
  if (broken !== undefined) {
    const failed: Outcome = { kind: 'failed', reason: broken };
    return { ...base, compress: failed, decompress: { kind: 'skipped' }, ...noOutput };
  }
  const budget = contender.slow ? conditions.slowBudget : conditions.budget;
  const best = await fastest(() => compress(data), budget, first);
  return {
    ...base,
    compress: { kind: 'timed', ...best },
    decompress: withDecompress
      ? await timeDecompress(contender, packed, conditions)
      : { kind: 'skipped' },
    compressedBytes: packed.length,
    identical,
  };
}
