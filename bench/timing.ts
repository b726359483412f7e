/**
 * Best-of timing, the same rule in every process (bench/python.ts repeats it in Python): run at
 * least `minRuns` times and until the runs add up to `seconds`, and keep the fastest run, the
 * one least disturbed by the rest of the machine. Also side-by-side rounds for ratios between
 * tools (each round runs every tool once), summed up by their medians.
 */
import { performance } from 'node:perf_hooks';

export interface Budget {
  /** Seconds of timed runs to accumulate (the first, verified run counts). */
  readonly seconds: number;
  /** Fewest runs, whatever their length. */
  readonly minRuns: number;
}

export interface Timed<T> {
  readonly result: T;
  readonly seconds: number;
}

export interface Fastest {
  /** The fastest run, in seconds. */
  readonly seconds: number;
  readonly runs: number;
}

/** One run of `run` (awaited when it returns a promise) and its wall time in seconds. */
export async function timeOnce<T>(run: () => T | Promise<T>): Promise<Timed<T>> {
  const start = performance.now();
  const result = await run();
  return { result, seconds: (performance.now() - start) / 1000 };
}

/**
 * Repeats `run` until `budget` is spent, counting `first` (a run already made, whose result was
 * checked) as the first run.
 */
export async function fastest(
  run: () => unknown,
  budget: Budget,
  first?: number,
): Promise<Fastest> {
  let best = first ?? Infinity;
  let runs = first === undefined ? 0 : 1;
  let spent = first ?? 0;
  while (runs < budget.minRuns || spent < budget.seconds) {
    const { seconds } = await timeOnce(run);
    best = Math.min(best, seconds);
    spent += seconds;
    runs++;
  }
  return { seconds: best, runs };
}

/** The median of `values` (the mean of the middle two for an even count); NaN when empty. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  if (sorted.length === 0) return NaN;
  return sorted.length % 2
    ? (sorted[mid] ?? NaN)
    : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
}

/** A timer: makes one run and resolves to its seconds. */
export type Timer = () => Promise<number>;

/** The timer of `run`'s wall time (awaited when it returns a promise). */
export const wallTimer =
  (run: () => unknown): Timer =>
  async () =>
    (await timeOnce(run)).seconds;

/**
 * Side-by-side timing: `rounds` rounds, each making one run of every one of `timers`, so that a
 * disturbance of the machine falls on all of them alike. Each round starts one timer later than
 * the one before (round r runs r, r+1, …), so that no run always follows the same other one.
 * Returns each timer's `rounds` times in seconds, in the order of `timers`.
 */
export async function interleaved(timers: readonly Timer[], rounds: number): Promise<number[][]> {
  const seconds = timers.map((): number[] => []);
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < timers.length; k++) {
      const index = (round + k) % timers.length;
      const timer = timers[index];
      if (timer) seconds[index]?.push(await timer());
    }
  }
  return seconds;
}
