/**
 * Peak memory of one compression, ours against libbzip2's own stream, each case in a fresh
 * process (bench/memory-child.ts) so that every peak is its own. Per block in flight: ours at
 * several threads compresses several blocks at once, each with its own work arrays.
 */
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { ChildReport } from './memory-child';
import { table } from './markdown';

/** How one case compresses the file. */
export interface MemoryCase {
  /** The child's case argument. */
  readonly name: string;
  /** The row's label. */
  readonly label: string;
  /** Which libbzip2 case it is compared with (undefined: it is libbzip2's). */
  readonly against: string | undefined;
  /** For the targets table: which of our calls this stands for. */
  readonly api: 'compressSync' | 'compress()' | undefined;
  readonly threads: number;
  /** Outputs dropped as they come (the memory target), or held to the end (context only). */
  readonly held: boolean;
}

const CORES = availableParallelism();

/** Blocks compressed at once, each with a block's work arrays: the pool runs ≤ cores tasks. */
export const running = (c: MemoryCase): number => (c.against ? Math.min(c.threads, CORES) : 1);

/**
 * The most blocks cut and not yet joined: 2 × threads on the pool; one in libbzip2 and on the
 * calling thread (ours in sync calls at 1 thread).
 */
export const cutNotJoined = (c: MemoryCase): number =>
  c.against === undefined || (c.threads === 1 && !c.name.startsWith('ours-async'))
    ? 1
    : 2 * c.threads;

const THREADS = [1, 2, 4] as const;

export const MEMORY_CASES: readonly MemoryCase[] = [
  {
    name: 'libbzip2-sync',
    label: 'libbzip2 `Compressor.compress` (sync)',
    against: undefined,
    api: undefined,
    threads: 1,
    held: false,
  },
  ...THREADS.map((threads): MemoryCase => ({
    name: `ours-sync:${threads}`,
    label: `ours \`BZ2Compressor.compress\` (sync), ${threads} thr, pieces of ${threads} block${threads > 1 ? 's' : ''}`,
    against: 'libbzip2-sync',
    api: 'compressSync',
    threads,
    held: false,
  })),
  {
    name: 'libbzip2-async',
    label: 'libbzip2 `Compressor.compressAsync`',
    against: undefined,
    api: undefined,
    threads: 1,
    held: false,
  },
  ...THREADS.map((threads): MemoryCase => ({
    name: `ours-async:${threads}`,
    label: `ours \`BZ2Compressor.compressAsync\`, ${threads} thr`,
    against: 'libbzip2-async',
    api: 'compress()',
    threads,
    held: false,
  })),
  {
    name: 'libbzip2-whole',
    label: 'libbzip2 `compress(all)` + `flush()`, output held',
    against: undefined,
    api: undefined,
    threads: 1,
    held: true,
  },
  ...THREADS.map((threads): MemoryCase => ({
    name: `compressSync:${threads}`,
    label: `ours \`compressSync\`, ${threads} thr, output held`,
    against: 'libbzip2-whole',
    api: undefined,
    threads,
    held: true,
  })),
];

/** Each case whose outputs are dropped runs this often (in as many processes); median kept. */
export const MEMORY_ROUNDS = 3;

/** One case's result on one dataset. */
export interface MemoryPoint {
  readonly case: MemoryCase;
  /** Median peak above the baseline, bytes; undefined where VmHWM cannot be reset. */
  readonly peak: number | undefined;
  /** The smallest and largest of the rounds. */
  readonly range: readonly [number, number] | undefined;
  readonly outputBytes: number;
}

export interface MemoryResult {
  readonly name: string;
  readonly bytes: number;
  readonly points: readonly MemoryPoint[];
}

const CHILD = join(__dirname, 'memory-child.ts');

function runChild(name: string, file: string): ChildReport {
  // --single-threaded-gc: no GC helper threads whose work lists would add to the peak.
  const run = spawnSync(
    process.execPath,
    ['--expose-gc', '--single-threaded-gc', '--import', 'tsx', CHILD, name, file],
    { cwd: join(__dirname, '..'), encoding: 'utf8', maxBuffer: 1 << 20 },
  );
  if (run.status !== 0) {
    throw new Error(`memory case ${name} failed (${run.status ?? run.signal}): ${run.stderr}`);
  }
  return JSON.parse(run.stdout) as ChildReport;
}

const median = (values: readonly number[]): number | undefined =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Every case on the dataset in `file` (`bytes` long). */
export function measureMemory(name: string, file: string, bytes: number): MemoryResult {
  const points = MEMORY_CASES.map((c): MemoryPoint => {
    const reports: ChildReport[] = [];
    for (let i = 0; i < (c.held ? 1 : MEMORY_ROUNDS); i++) reports.push(runChild(c.name, file));
    const peaks = reports.flatMap((r) =>
      r.peakAboveBaseline === undefined ? [] : [r.peakAboveBaseline],
    );
    const peak = peaks.length === reports.length ? median(peaks) : undefined;
    const low = Math.min(...peaks);
    const high = Math.max(...peaks);
    process.stderr.write(
      `bench: ${name}: memory ${c.name}: ${peak === undefined ? 'unknown' : `${(peak / 1e6).toFixed(2)} MB`}\n`,
    );
    return {
      case: c,
      peak,
      range: peak === undefined ? undefined : [low, high],
      outputBytes: reports[0]?.outputBytes ?? 0,
    };
  });
  return { name, bytes, points };
}

/** Peak per block being compressed, bytes. */
export const perBlock = (point: MemoryPoint): number | undefined =>
  point.peak === undefined ? undefined : point.peak / running(point.case);

/** Ours per block ÷ libbzip2's, or undefined for libbzip2's own rows. */
export function memoryRatio(result: MemoryResult, point: MemoryPoint): number | undefined {
  const base = result.points.find((p) => p.case.name === point.case.against);
  const ours = perBlock(point);
  const theirs = base && perBlock(base);
  return ours !== undefined && theirs ? ours / theirs : undefined;
}

/** The worst (largest) ratio of the dropped-output cases standing for `api`, and its threads. */
export function worstMemoryRatio(
  result: MemoryResult,
  api: 'compressSync' | 'compress()',
): { ratio: number; threads: number } | undefined {
  let worst: { ratio: number; threads: number } | undefined;
  for (const point of result.points) {
    if (point.case.api !== api) continue;
    const ratio = memoryRatio(result, point);
    if (ratio !== undefined && (worst === undefined || ratio > worst.ratio)) {
      worst = { ratio, threads: point.case.threads };
    }
  }
  return worst;
}

const mb = (bytes: number | undefined): string =>
  bytes === undefined ? 'unknown' : (bytes / 1e6).toFixed(2);

/** Level 9 work arrays of one block, as BZ2_bzCompressInit and our encoder allocate them. */
const ARRAYS = (900_000 + 900_034 + 65_537) * 4;

/** The Markdown section for every dataset. */
export function memorySection(results: readonly MemoryResult[]): string {
  const parts = [
    '## Peak memory per block in flight (level 9)',
    '',
    'Each case runs alone in a fresh process (`bench/memory-child.ts`): it reads the dataset, ' +
      "warms the same case up on 10 kB, collects garbage, resets Linux's peak resident set " +
      '(`VmHWM`, by writing 5 to `/proc/self/clear_refs`) and takes `VmRSS` as the baseline, ' +
      'compresses the whole dataset once, and reads `VmHWM` again: **peak** = the most ' +
      'resident memory the compression added at any moment, beyond the input already in ' +
      `memory. Median of ${MEMORY_ROUNDS} processes (range in brackets); the rows with the ` +
      'output held ran once.',
    '',
    "- **What it includes.** The compressor's work arrays (libbzip2's `BZ2_bzCompressInit` " +
      `allocates ${mb(ARRAYS)} MB of them at level 9; our encoder allocates the same ` +
      "arrays, and the pages a block touches count), our codec's tables, blocks cut and " +
      "waiting (each kept after libbzip2's first run-length stage, as libbzip2 keeps its block: " +
      'at most 100 kB × level whatever the runs in its input), ' +
      'each compressed block until it is joined, the output of the piece, and anything Node ' +
      'allocated meanwhile (under 0.4 MB when the same loop compresses nothing, tried while writing this bench).',
    '- **Input and output.** The input is read before the baseline, the same for every case, ' +
      'and not counted. In the rows that count for the target the input goes in ' +
      '900 kB pieces (ours at N threads in sync calls: N blocks per call, so every thread gets ' +
      "a block) and each piece's output is dropped and freed before the next, so no output is " +
      "held: the peak is the compressor's own. The last rows (context only) are the one-call " +
      'form with the whole output held, whose peak is mostly the output (the native buffer ' +
      'it grows in, then the joined copy: up to about 2 × the output size shown).',
    `- **Per block in flight** = peak ÷ blocks compressed at once: min(threads, ${CORES} cores), ` +
      "since the addon's pool runs at most one task per core and keeps one encoder (work " +
      'arrays) per running task. Up to 2 × threads blocks are cut and not yet joined on the ' +
      'pool (column "cut, not joined"); dividing by that instead would give smaller numbers, ' +
      'but only the running blocks hold work arrays. libbzip2 compresses one block at a time.',
  ];
  for (const result of results) {
    const rows = result.points.map((point) => {
      const ratio = memoryRatio(result, point);
      const range = point.range;
      return [
        point.case.label,
        String(running(point.case)),
        String(cutNotJoined(point.case)),
        range && range[0] !== range[1]
          ? `${mb(point.peak)} (${mb(range[0])}–${mb(range[1])})`
          : mb(point.peak),
        point.case.held ? mb(point.outputBytes) : '—',
        mb(perBlock(point)),
        ratio === undefined ? '' : `${ratio.toFixed(2)}x`,
      ];
    });
    parts.push(
      '',
      `### ${result.name}: ${result.bytes} bytes`,
      '',
      table(
        [
          'case',
          'blocks compressed at once',
          'cut, not joined (most)',
          'peak MB',
          'output held MB',
          'per block MB',
          '÷ libbzip2 per block',
        ],
        ['left', 'right', 'right', 'right', 'right', 'right', 'right'],
        rows,
      ),
    );
  }
  return parts.join('\n');
}

/** Thread counts of the decompression memory rows (issue 13). */
export const DECOMPRESS_MEMORY_THREADS = [1, 2] as const;

/** One decompression case's peak on one dataset. */
export interface DecompressMemoryPoint {
  readonly threads: number;
  /** Median peak above the baseline, bytes; undefined where VmHWM cannot be reset. */
  readonly peak: number | undefined;
  readonly range: readonly [number, number] | undefined;
}

export interface DecompressMemoryResult {
  readonly name: string;
  readonly bytes: number;
  readonly points: readonly DecompressMemoryPoint[];
}

/**
 * Peak memory of `createDecompressStream({ threads })` decoding the bzip2 file `file` (of the
 * dataset `name`, `bytes` long once decoded), output dropped as it comes: each thread count in
 * {@link MEMORY_ROUNDS} fresh processes, median kept. Throws when a child's output is not
 * `bytes` long.
 */
export function measureDecompressMemory(
  name: string,
  file: string,
  bytes: number,
): DecompressMemoryResult {
  const points = DECOMPRESS_MEMORY_THREADS.map((threads): DecompressMemoryPoint => {
    const reports: ChildReport[] = [];
    for (let i = 0; i < MEMORY_ROUNDS; i++) {
      const report = runChild(`decompress-stream:${threads}`, file);
      if (report.outputBytes !== bytes) {
        throw new Error(
          `memory case decompress-stream:${threads} on ${name} gave ${report.outputBytes} bytes, not ${bytes}`,
        );
      }
      reports.push(report);
    }
    const peaks = reports.flatMap((r) =>
      r.peakAboveBaseline === undefined ? [] : [r.peakAboveBaseline],
    );
    const peak = peaks.length === reports.length ? median(peaks) : undefined;
    process.stderr.write(
      `bench: ${name}: memory decompress-stream:${threads}: ${peak === undefined ? 'unknown' : `${(peak / 1e6).toFixed(2)} MB`}\n`,
    );
    return {
      threads,
      peak,
      range: peak === undefined ? undefined : [Math.min(...peaks), Math.max(...peaks)],
    };
  });
  return { name, bytes, points };
}

/** libbzip2's decoding state of one level-9 block (BZ2_bzDecompressInit, not small): `tt`. */
const DECODE_ARRAYS = 900_000 * 4;

/** The Markdown section of the decompression rows, every dataset in one table. */
export function decompressMemorySection(results: readonly DecompressMemoryResult[]): string {
  const rows = results.flatMap((result) => {
    const one = result.points.find((p) => p.threads === 1)?.peak;
    return result.points.map((point) => {
      const range = point.range;
      // threads: 1 is libbzip2's stream: one block at a time.
      const inFlight = point.threads === 1 ? 1 : 2 * point.threads;
      return [
        result.name,
        String(point.threads),
        range && range[0] !== range[1]
          ? `${mb(point.peak)} (${mb(range[0])}–${mb(range[1])})`
          : mb(point.peak),
        String(inFlight),
        mb(point.peak === undefined ? undefined : point.peak / inFlight),
        point.peak !== undefined && one ? `${(point.peak / one).toFixed(2)}x` : '',
      ];
    });
  });
  return [
    '## Peak memory of decompression',
    '',
    'The same method as above (fresh process, warm-up, `VmHWM` reset, median of ' +
      `${MEMORY_ROUNDS} processes): \`createDecompressStream({ threads })\` decodes the ` +
      "dataset's `bzip2 -9` file fed in 64 kB pieces, each output chunk dropped (and " +
      "collected) as it comes, so the peak is the decoder's own: its state and the blocks in " +
      'flight. The compressed input is read before the baseline and not counted. Expected: ' +
      "at most about 2 × threads blocks in flight; `threads: 1` is libbzip2's sequential " +
      'decoder, one block at a time, whose state for a level-9 block is ' +
      `${mb(DECODE_ARRAYS)} MB (\`tt\`) beside the 900 kB of the block's output. ` +
      'Per block in flight = peak ÷ that many blocks.',
    '',
    table(
      [
        'dataset',
        'threads',
        'peak MB',
        'blocks in flight, at most',
        'per block in flight MB',
        '÷ 1 thread',
      ],
      ['left', 'right', 'right', 'right', 'right', 'right'],
      rows,
    ),
  ].join('\n');
}
