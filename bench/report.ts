/**
 * The Markdown report: per dataset, every tool's speed and size against the bzip2 CLI; the
 * thread sweep; and the project's targets, each ratio printed outright.
 */
import { SERIES } from './contenders';
import { blocks, type Dataset } from './datasets';
import { machineLine, type Machine } from './machine';
import { table } from './markdown';
import type { Measurement, Outcome, Reference } from './measure';

export interface DatasetResult {
  readonly dataset: Dataset;
  readonly reference: Reference | undefined;
  /** Every measurement, the compression-only sweep points included. */
  readonly rows: readonly Measurement[];
  /** Average cores other processes used meanwhile (bench/contention.ts); undefined if unknown. */
  readonly othersCores: number | undefined;
}

/** Above this many cores taken by others, the report warns that the numbers are disturbed. */
export const BUSY_CORES = 0.1;

/**
 * One line on what else ran `during` some measurements (`others`: the average cores other
 * processes used, from bench/contention.ts).
 */
export function contentionLine(others: number | undefined, during: string): string {
  if (others === undefined) return `Other load during ${during}: unknown (no /proc).`;
  const line = `Other processes used ${others.toFixed(2)} cores on average during ${during}`;
  return others > BUSY_CORES
    ? `**Warning: ${line}; the machine was shared, so speeds (thread scaling above all) are understated.**`
    : `${line}: a quiet machine.`;
}

/** Table order: the baseline, the other single-threaded libbzip2, ours, parallel peers, context. */
const ORDER: readonly string[] = [
  SERIES.bzip2,
  SERIES.python,
  SERIES.oursSync,
  SERIES.oursAsync,
  SERIES.oursClass,
  SERIES.lbzip2,
  SERIES.pbzip2,
  SERIES.compressjs,
  SERIES.wasm,
  SERIES.gzip,
];

/** The series drawn against threads; the others run on one thread only. */
export const THREADED: readonly string[] = [
  SERIES.oursSync,
  SERIES.oursAsync,
  SERIES.oursClass,
  SERIES.lbzip2,
  SERIES.pbzip2,
];

/** The targets apply to inputs of at least this many blocks. */
const TARGET_BLOCKS = 8;
const TARGET_SPEEDUP = 1.8;

const rank = (series: string): number => {
  const index = ORDER.indexOf(series);
  return index < 0 ? ORDER.length : index;
};

/** Rows in table order. */
export function ordered(rows: readonly Measurement[]): Measurement[] {
  return [...rows].sort((a, b) => rank(a.series) - rank(b.series) || a.threads - b.threads);
}

/** Input MB (10^6 bytes) per second, or undefined when not timed. */
export function rate(outcome: Outcome, bytes: number): number | undefined {
  return outcome.kind === 'timed' ? bytes / outcome.seconds / 1e6 : undefined;
}

const speed = (value: number): string => value.toFixed(value < 10 ? 2 : 1);
const times = (value: number | undefined): string =>
  value === undefined || !Number.isFinite(value) ? '—' : `${value.toFixed(2)}x`;

function find(rows: readonly Measurement[], series: string, threads = 1): Measurement | undefined {
  return rows.find((row) => row.series === series && row.threads === threads);
}

/** Failure reasons become numbered notes under the table. */
class Notes {
  readonly #lines: string[] = [];
  cell(outcome: Outcome, bytes: number): string {
    switch (outcome.kind) {
      case 'timed':
        return speed(bytes / outcome.seconds / 1e6);
      case 'none':
        return '—';
      case 'skipped':
        return '';
      case 'failed':
        this.#lines.push(outcome.reason);
        return `failed (${this.#lines.length})`;
    }
  }
  toString(): string {
    return this.#lines.map((line, i) => `(${i + 1}) ${line}`).join('\n\n');
  }
}

/** The main table for one dataset: rows at the `threads` given, every column against bzip2. */
export function comparisonTable(result: DatasetResult, threads: readonly number[]): string {
  const bytes = result.dataset.data.length;
  const base = find(result.rows, SERIES.bzip2);
  const baseCompress = base && rate(base.compress, bytes);
  const baseDecompress = base && rate(base.decompress, bytes);
  const notes = new Notes();
  const rows = ordered(result.rows)
    .filter((row) => !THREADED.includes(row.series) || threads.includes(row.threads))
    .map((row) => {
      const compress = rate(row.compress, bytes);
      const decompress = rate(row.decompress, bytes);
      const size = row.compressedBytes;
      return [
        row.tool,
        String(row.threads),
        notes.cell(row.compress, bytes),
        notes.cell(row.decompress, bytes),
        size === undefined ? '—' : (size / bytes).toFixed(4),
        size === undefined || base?.compressedBytes === undefined
          ? '—'
          : (size / base.compressedBytes).toFixed(3),
        times(compress !== undefined && baseCompress ? compress / baseCompress : undefined),
        times(decompress !== undefined && baseDecompress ? decompress / baseDecompress : undefined),
        row.identical === undefined ? 'n/a' : row.identical ? '**yes**' : 'no',
      ];
    });
  const markdown = table(
    [
      'tool',
      'threads',
      'compress MB/s',
      'decompress MB/s',
      'compressed / original',
      'size vs bzip2',
      'compress speed vs bzip2',
      'decompress speed vs bzip2',
      'identical to `bzip2 -9`',
    ],
    ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'center'],
    rows,
  );
  const footnotes = notes.toString();
  return footnotes ? `${markdown}\n\n${footnotes}` : markdown;
}

/** Compression MB/s of each threaded tool at each thread count, with the speed-up over one. */
export function sweepTable(result: DatasetResult, sweep: readonly number[]): string {
  const bytes = result.dataset.data.length;
  const rows = THREADED.flatMap((series) => {
    const points = sweep.map((threads) => find(result.rows, series, threads));
    if (points.every((row) => row === undefined)) return [];
    const one = points[0] && rate(points[0].compress, bytes);
    return [
      [
        series,
        ...points.map((row) => (row ? (rate(row.compress, bytes)?.toFixed(1) ?? 'failed') : '')),
        ...sweep.slice(1).map((_, i) => {
          const row = points[i + 1];
          const value = row && rate(row.compress, bytes);
          return times(value !== undefined && one ? value / one : undefined);
        }),
      ],
    ];
  });
  return table(
    [
      'tool',
      ...sweep.map((threads) => `${threads} thr MB/s`),
      ...sweep.slice(1).map((threads) => `${threads} thr / 1`),
    ],
    ['left', ...sweep.map((): 'right' => 'right'), ...sweep.slice(1).map((): 'right' => 'right')],
    rows,
  );
}

/** Our ratios against the targets, each printed outright. */
export function targetsTable(result: DatasetResult): string {
  const bytes = result.dataset.data.length;
  const at = (series: string, threads: number): number | undefined => {
    const row = find(result.rows, series, threads);
    return row && rate(row.compress, bytes);
  };
  const ratio = (a: number | undefined, b: number | undefined): number | undefined =>
    a !== undefined && b !== undefined ? a / b : undefined;
  const verdict = (value: number | undefined, goal: number): string => {
    if (value === undefined) return '—';
    const met = value >= goal;
    // A miss that rounds to the goal gets a third decimal, so "1.00x (not met)" never shows.
    const shown =
      !met && value.toFixed(2) === goal.toFixed(2) ? `${value.toFixed(3)}x` : times(value);
    return `${shown} (${met ? 'met' : 'not met'})`;
  };
  const python = at(SERIES.python, 1);
  const lbzip2 = at(SERIES.lbzip2, 2);
  const ours = [SERIES.oursSync, SERIES.oursAsync];
  const enough = blocks(bytes) >= TARGET_BLOCKS;
  const rows = [
    [
      '2 threads / 1 thread',
      ...ours.map((s) => verdict(ratio(at(s, 2), at(s, 1)), TARGET_SPEEDUP)),
      `≥ ${TARGET_SPEEDUP}x${enough ? '' : ` (needs ≥ ${TARGET_BLOCKS} blocks)`}`,
    ],
    [
      '1 thread / CPython `bz2.compress`',
      ...ours.map((s) => verdict(ratio(at(s, 1), python), 1)),
      '≥ 1.0x',
    ],
    ['2 threads / `lbzip2 -n 2`', ...ours.map((s) => times(ratio(at(s, 2), lbzip2))), 'reported'],
  ];
  return table(
    ['ratio of compression speeds', 'compressSync', 'compress()', 'target'],
    ['left', 'right', 'right', 'left'],
    rows,
  );
}

/** The machine paragraph. */
export function machineSection(machine: Machine): string {
  return [
    `**Machine:** ${machineLine(machine)} (os.availableParallelism() = ${machine.cores}); ` +
      `${machine.memoryGiB} GiB; ${machine.system}.`,
    '',
    `**Tools:** ${machine.tools.join('; ')}.`,
  ].join('\n');
}
