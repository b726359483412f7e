/** What one `npm run bench` measures and for how long, from the environment. */
import { availableParallelism } from 'node:os';
import type { Budget } from './timing';

/** bzip2's own default (`bzip2` = `bzip2 -9`): 900 kB blocks, used for every bzip2 tool. */
export const LEVEL = 9;
/** Node's zlib default, the usual gzip a reader compares against. */
export const GZIP_LEVEL = 6;
/** One level-9 block holds at most this many input bytes (before bzip2's first run-length step). */
export const BLOCK_BYTES = 900_000;

export interface Settings {
  /** Seconds of timed runs per measurement (BENCH_SECONDS, default 1). */
  readonly seconds: number;
  /** Size of each large dataset in bytes (BENCH_BYTES, default 20 MB: 22 level-9 blocks). */
  readonly bytes: number;
  /** Whether missing CLI peers may be installed with apt-get (BENCH_INSTALL=0 forbids it). */
  readonly install: boolean;
  /** Thread counts of the sweep: 1 to 4, plus the core count when it is larger. */
  readonly sweep: readonly number[];
  /** Thread counts that get full rows (decompression too) in the main table. */
  readonly tableThreads: readonly number[];
  /** Timed runs for the native tools: repeated, the fastest kept. */
  readonly budget: Budget;
  /** Pure-JavaScript compressors run at a few hundred kB/s: one run of the same data. */
  readonly slowBudget: Budget;
  /** The small per-file runs against CPython. */
  readonly fileBudget: Budget;
  /**
   * Side-by-side rounds of the decompression section (BENCH_DECOMPRESS_ROUNDS, default 5): each
   * round runs every decoder once; the ratios are of medians.
   */
  readonly decompressRounds: number;
}

/** The number in the environment variable `name`, which must be positive; `fallback` when unset. */
export function positive(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
}

const unique = (values: number[]): number[] => [...new Set(values)].sort((a, b) => a - b);

/** Reads BENCH_SECONDS, BENCH_BYTES, BENCH_INSTALL and BENCH_DECOMPRESS_ROUNDS. */
export function readSettings(): Settings {
  const seconds = positive('BENCH_SECONDS', 1);
  const cores = availableParallelism();
  return {
    seconds,
    bytes: Math.round(positive('BENCH_BYTES', 20_000_000)),
    install: process.env['BENCH_INSTALL'] !== '0',
    sweep: unique([1, 2, 3, 4, cores]),
    // 2 threads always, since the targets are stated for two threads.
    tableThreads: unique([1, 2, cores]),
    // Two runs at least: the first one of a tool also pays for page faults on fresh buffers.
    budget: { seconds, minRuns: 2 },
    slowBudget: { seconds: 0, minRuns: 1 },
    fileBudget: { seconds: seconds / 4, minRuns: 3 },
    decompressRounds: Math.max(1, Math.round(positive('BENCH_DECOMPRESS_ROUNDS', 5))),
  };
}
