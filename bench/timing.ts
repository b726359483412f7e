/** Best-of timing for synchronous work, the same rule as bench/python.ts uses. */
import { performance } from 'node:perf_hooks';

/** Runs `fn` for at least `budget` seconds (and 3 times); returns the fastest run in seconds. */
export function best(fn: () => unknown, budget: number): number {
  let fastest = Infinity;
  let runs = 0;
  const start = performance.now();
  while (runs < 3 || performance.now() - start < budget * 1000) {
    const t0 = performance.now();
    fn();
    fastest = Math.min(fastest, performance.now() - t0);
    runs++;
  }
  return fastest / 1000;
}
