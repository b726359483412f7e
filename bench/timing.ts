/**
 * Best-of timing, the same rule in every process (bench/python.ts repeats it in Python): run at
 * least `minRuns` times and until the runs add up to `seconds`, and keep the fastest run, the
 * one least disturbed by the rest of the machine.
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
