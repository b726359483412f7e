/**
 * Level 1 against level 9: our compression at both levels, side by side on the same data. Level
 * 1 cuts 100 kB blocks instead of 900 kB ones; the target is that it is no slower than level 9.
 */
import { compress, compressSync } from '../lib/index';
import type { Dataset } from './datasets';
import { table } from './markdown';
import { timeOnce, type Budget } from './timing';

/** The calls measured at both levels. */
export const LEVEL_APIS = ['compressSync', 'compress()'] as const;
export type LevelApi = (typeof LEVEL_APIS)[number];
export const LEVEL_THREADS = [1, 2] as const;

export interface LevelPoint {
  readonly api: LevelApi;
  readonly threads: number;
  /** Fastest seconds at level 1 and at level 9. */
  readonly level1: number;
  readonly level9: number;
  readonly runs: number;
}

export interface LevelResult {
  readonly dataset: Dataset;
  readonly points: readonly LevelPoint[];
}

function call(
  api: LevelApi,
  data: Buffer,
  level: number,
  threads: number,
): Buffer | Promise<Buffer> {
  const options = { level, threads };
  return api === 'compressSync' ? compressSync(data, options) : compress(data, options);
}

/**
 * Times both levels in alternation (9, 1, 9, 1, …) until each has had `budget`, keeping the
 * fastest of each, so that a disturbance of the machine falls on both alike.
 */
async function pair(
  api: LevelApi,
  data: Buffer,
  threads: number,
  budget: Budget,
): Promise<LevelPoint> {
  const best = { 1: Infinity, 9: Infinity };
  const spent = { 1: 0, 9: 0 };
  let runs = 0;
  while (runs < budget.minRuns || spent[1] < budget.seconds || spent[9] < budget.seconds) {
    for (const level of [9, 1] as const) {
      const { seconds } = await timeOnce(() => call(api, data, level, threads));
      best[level] = Math.min(best[level], seconds);
      spent[level] += seconds;
    }
    runs++;
  }
  return { api, threads, level1: best[1], level9: best[9], runs };
}

/** Both levels for every call and thread count on `dataset`. */
export async function measureLevels(dataset: Dataset, budget: Budget): Promise<LevelResult> {
  const points: LevelPoint[] = [];
  for (const api of LEVEL_APIS) {
    for (const threads of LEVEL_THREADS) {
      const point = await pair(api, dataset.data, threads, budget);
      const mbps = (seconds: number): string => (dataset.data.length / seconds / 1e6).toFixed(1);
      process.stderr.write(
        `bench: ${dataset.name}: ${api} [${threads}]: level 1 ${mbps(point.level1)} MB/s, ` +
          `level 9 ${mbps(point.level9)} MB/s\n`,
      );
      points.push(point);
    }
  }
  return { dataset, points };
}

/** Level 1's speed ÷ level 9's (above 1: level 1 is faster). */
export const levelRatio = (point: LevelPoint): number => point.level9 / point.level1;

/** The Markdown section for every dataset. */
export function levelsSection(results: readonly LevelResult[], budget: Budget): string {
  const rows = results.flatMap(({ dataset, points }) =>
    points.map((point) => {
      const mbps = (seconds: number): string => (dataset.data.length / seconds / 1e6).toFixed(1);
      return [
        dataset.name,
        point.api,
        String(point.threads),
        mbps(point.level1),
        mbps(point.level9),
        `${levelRatio(point).toFixed(2)}x`,
      ];
    }),
  );
  return [
    '## Level 1 against level 9',
    '',
    'Our compression at level 1 (100 kB blocks) and level 9 (900 kB blocks) on the same input, ' +
      `the two levels timed in alternation; the fastest of ≥ ${budget.minRuns} runs and ` +
      `≥ ${budget.seconds} s each. MB/s of input. Target: level 1 no slower than level 9 ` +
      '(ratio = level 1 MB/s ÷ level 9 MB/s ≥ 1.00x).',
    '',
    table(
      ['dataset', 'call', 'threads', 'level 1 MB/s', 'level 9 MB/s', 'level 1 ÷ level 9'],
      ['left', 'left', 'right', 'right', 'right', 'right'],
      rows,
    ),
  ].join('\n');
}
