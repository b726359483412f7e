/**
 * Decompression side by side (issue 13): every decoder on the same `bzip2 -9` file of a dataset,
 * in interleaved rounds (each round runs every decoder once), summed up by medians. Ours at
 * several `threads` (`decompress()` 1 to 4, `decompressSync` 1 and 2), the bzip2 CLI, CPython's
 * `bz2.decompress`, `lbzip2 -d -n2` and `pbzip2 -d -p2`; and, since pbzip2 only decodes its own
 * multi-stream files in parallel, a `pbzip2 -9 -p2` file decoded by pbzip2 and by ours.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decompress, decompressSync } from '../lib/index';
import type { ChartPanel } from './chart';
import { pipeThrough } from './cli';
import { chartName, decompressAt, SERIES } from './contenders';
import { cpuSnapshot, othersCores } from './contention';
import type { Dataset } from './datasets';
import { table } from './markdown';
import type { Reference } from './measure';
import type { Peers } from './peers';
import { hasPython, startPythonDecoder, type PythonDecoder } from './python';
import { LEVEL } from './settings';
import { interleaved, median, timeOnce, wallTimer, type Timer } from './timing';

/** Lines of the decompression chart and keys of the rows. */
export const DECOMPRESS_SERIES = {
  oursAsync: 'bz2-napi decompress()',
  oursSync: 'bz2-napi decompressSync',
  bzip2: 'bzip2 -d',
  python: 'CPython bz2.decompress',
  lbzip2: 'lbzip2 -d',
  pbzip2: 'pbzip2 -d',
  oursPbzip2File: 'bz2-napi decompress(), pbzip2 file',
  pbzip2Pbzip2File: 'pbzip2 -d, pbzip2 file',
} as const;

/** Our `decompress()` runs at these thread counts, `decompressSync` at the first two. */
export const ASYNC_THREADS = [1, 2, 3, 4] as const;
export const SYNC_THREADS = [1, 2] as const;
/** The parallel peers' thread count: the targets are stated for two threads. */
const PEER_THREADS = 2;

/** Which compressed file a decoder reads. */
export type Source = 'bzip2' | 'pbzip2';

/** One row of the section. */
export interface DecoderRow {
  readonly tool: string;
  readonly series: string;
  readonly threads: number;
  readonly source: Source;
  /** Every round's seconds, in round order. */
  readonly seconds: readonly number[];
}

export interface DecompressionResult {
  readonly dataset: Dataset;
  readonly rounds: number;
  /** Who made the `bzip2` file (`bzip2 -9`, or CPython's bz2 standing in for it). */
  readonly by: string;
  /** That file, in the scratch directory (for the memory rows). */
  readonly file: string;
  /** Compressed sizes of the two files; no pbzip2 file without pbzip2. */
  readonly sizes: Readonly<Record<Source, number | undefined>>;
  readonly rows: readonly DecoderRow[];
  /** Why a decoder has no row (a peer not installed). */
  readonly skipped: readonly string[];
  readonly othersCores: number | undefined;
}

/** A decoder to check and time, in this process or through a pipe. */
interface Decoder {
  readonly tool: string;
  readonly series: string;
  readonly threads: number;
  readonly source: Source;
  readonly decode: (packed: Buffer) => Buffer | Promise<Buffer>;
}

function decoders(peers: Peers, withPbzip2File: boolean): Decoder[] {
  const list: Decoder[] = [
    ...ASYNC_THREADS.map((threads): Decoder => ({
      tool: `bz2-napi decompress(data, { threads: ${threads} })`,
      series: DECOMPRESS_SERIES.oursAsync,
      threads,
      source: 'bzip2',
      decode: (packed) => decompress(packed, decompressAt(threads)),
    })),
    ...SYNC_THREADS.map((threads): Decoder => ({
      tool: `bz2-napi decompressSync(data, { threads: ${threads} })`,
      series: DECOMPRESS_SERIES.oursSync,
      threads,
      source: 'bzip2',
      decode: (packed) => decompressSync(packed, decompressAt(threads)),
    })),
  ];
  const n = String(PEER_THREADS);
  if (peers.versions.has('bzip2')) {
    list.push({
      tool: 'bzip2 -d',
      series: DECOMPRESS_SERIES.bzip2,
      threads: 1,
      source: 'bzip2',
      decode: (packed) => pipeThrough('bzip2', ['-d', '-c'], packed),
    });
  }
  if (peers.versions.has('lbzip2')) {
    list.push({
      tool: `lbzip2 -d -n${n}`,
      series: DECOMPRESS_SERIES.lbzip2,
      threads: PEER_THREADS,
      source: 'bzip2',
      decode: (packed) => pipeThrough('lbzip2', ['-d', `-n${n}`, '-c'], packed),
    });
  }
  if (peers.versions.has('pbzip2')) {
    list.push({
      tool: `pbzip2 -d -p${n}`,
      series: DECOMPRESS_SERIES.pbzip2,
      threads: PEER_THREADS,
      source: 'bzip2',
      decode: (packed) => pipeThrough('pbzip2', ['-d', `-p${n}`, '-c'], packed),
    });
  }
  if (withPbzip2File) {
    list.push(
      {
        tool: `pbzip2 -d -p${n}`,
        series: DECOMPRESS_SERIES.pbzip2Pbzip2File,
        threads: PEER_THREADS,
        source: 'pbzip2',
        decode: (packed) => pipeThrough('pbzip2', ['-d', `-p${n}`, '-c'], packed),
      },
      {
        tool: `bz2-napi decompress(data, { threads: ${n} })`,
        series: DECOMPRESS_SERIES.oursPbzip2File,
        threads: PEER_THREADS,
        source: 'pbzip2',
        decode: (packed) => decompress(packed, decompressAt(PEER_THREADS)),
      },
    );
  }
  return list;
}

const message = (error: unknown): string =>
  error instanceof Error ? (error.message.split('\n')[0] ?? error.name) : String(error);

/**
 * One run of `decoder` on `packed`, which must give `data` back; throws (ending the benchmark)
 * when it fails or gives other bytes, since a wrong decoder's speed means nothing.
 */
async function check(dataset: Dataset, decoder: Decoder, packed: Buffer): Promise<void> {
  const where = `${dataset.name}: ${decoder.tool} on the ${decoder.source} file`;
  let output: Buffer;
  try {
    ({ result: output } = await timeOnce(() => decoder.decode(packed)));
  } catch (error) {
    throw new Error(`decompression check failed: ${where}: ${message(error)}`, {
      cause: error,
    });
  }
  if (!output.equals(dataset.data)) {
    throw new Error(
      `decompression check failed: ${where} gave ${output.length} bytes that are not the ` +
        `${dataset.data.length} input bytes`,
    );
  }
}

/**
 * Measures every decoder on `dataset`: checks each output once (that run also warms it up),
 * then `rounds` interleaved rounds. `reference` is the dataset's `bzip2 -9` output (already
 * checked to decompress to it); `input` is the file holding the dataset, for CPython; `work` is
 * a scratch directory.
 */
export async function measureDecompression(
  dataset: Dataset,
  reference: Reference,
  peers: Peers,
  rounds: number,
  input: string,
  work: string,
): Promise<DecompressionResult> {
  const start = cpuSnapshot();
  const skipped = [...peers.skipped];
  const pbzip2File = peers.versions.has('pbzip2')
    ? pipeThrough('pbzip2', [`-${LEVEL}`, `-p${PEER_THREADS}`, '-c'], dataset.data)
    : undefined;
  const files: Record<Source, Buffer | undefined> = {
    bzip2: reference.bytes,
    pbzip2: pbzip2File,
  };
  const list = decoders(peers, pbzip2File !== undefined);
  for (const decoder of list) {
    const packed = files[decoder.source];
    if (!packed) throw new Error(`no ${decoder.source} file for ${decoder.tool}`);
    process.stderr.write(`bench: ${dataset.name}: decompression check: ${decoder.tool}\n`);
    await check(dataset, decoder, packed);
  }

  const file = join(work, `${dataset.name}.bzip2-9.bz2`);
  writeFileSync(file, reference.bytes);
  let python: PythonDecoder | undefined;
  if (hasPython()) {
    process.stderr.write(`bench: ${dataset.name}: decompression check: CPython bz2.decompress\n`);
    // Rejects (ending the benchmark) when bz2.decompress does not give the input back.
    python = await startPythonDecoder(file, input);
  } else {
    skipped.push('CPython bz2.decompress: python3 not found');
  }

  const timers: Timer[] = list.map((decoder) => {
    const packed = files[decoder.source] ?? Buffer.alloc(0);
    return wallTimer(() => decoder.decode(packed));
  });
  const ready = python;
  if (ready) timers.push(() => ready.once());
  process.stderr.write(
    `bench: ${dataset.name}: decompression, ${rounds} rounds of ${timers.length} decoders\n`,
  );
  let seconds: number[][];
  try {
    seconds = await interleaved(timers, rounds);
  } finally {
    python?.close();
  }

  const rows: DecoderRow[] = list.map((decoder, i) => ({
    tool: decoder.tool,
    series: decoder.series,
    threads: decoder.threads,
    source: decoder.source,
    seconds: seconds[i] ?? [],
  }));
  if (python) {
    rows.push({
      tool: `CPython ${python.version} bz2.decompress`,
      series: DECOMPRESS_SERIES.python,
      threads: 1,
      source: 'bzip2',
      seconds: seconds[list.length] ?? [],
    });
  }
  const bytes = dataset.data.length;
  for (const row of rows) {
    process.stderr.write(
      `bench: ${dataset.name}: ${row.tool} [${row.source} file]: decompress ` +
        `${(bytes / median(row.seconds) / 1e6).toFixed(1)} MB/s (median of ${row.seconds.length})\n`,
    );
  }
  return {
    dataset,
    rounds,
    by: reference.by,
    file,
    sizes: { bzip2: reference.bytes.length, pbzip2: pbzip2File?.length },
    rows,
    skipped,
    othersCores: othersCores(start, cpuSnapshot()),
  };
}

/** The row of `series` at `threads` (on the `bzip2 -9` file unless `source` says otherwise). */
export function decoderRow(
  result: DecompressionResult,
  series: string,
  threads = 1,
): DecoderRow | undefined {
  return result.rows.find((row) => row.series === series && row.threads === threads);
}

/** Output MB (10^6 bytes) per second of the median round, or undefined without a row. */
export function medianRate(
  result: DecompressionResult,
  row: DecoderRow | undefined,
): number | undefined {
  if (!row || row.seconds.length === 0) return undefined;
  return result.dataset.data.length / median(row.seconds) / 1e6;
}

const speed = (value: number): string => value.toFixed(value < 10 ? 2 : 1);

/** Table order: the single-threaded decoders, ours by call and threads, the parallel peers. */
const ORDER: readonly string[] = [
  DECOMPRESS_SERIES.bzip2,
  DECOMPRESS_SERIES.python,
  DECOMPRESS_SERIES.oursSync,
  DECOMPRESS_SERIES.oursAsync,
  DECOMPRESS_SERIES.lbzip2,
  DECOMPRESS_SERIES.pbzip2,
  DECOMPRESS_SERIES.pbzip2Pbzip2File,
  DECOMPRESS_SERIES.oursPbzip2File,
];

/** The Markdown section for every dataset. */
export function decompressionSection(
  results: readonly DecompressionResult[],
  contention: (others: number | undefined, during: string) => string,
): string {
  const rounds = results[0]?.rounds ?? 0;
  const parts = [
    '## Decompression side by side',
    '',
    `Every decoder on the same file: each dataset compressed once by \`${results[0]?.by ?? 'bzip2 -9'}\` ` +
      '(one stream), plus, for pbzip2, a file made by `pbzip2 -9 -p2 -c` (one stream per ' +
      'block, the only kind pbzip2 decodes in parallel: its best case), decoded by ' +
      `\`pbzip2 -d -p2\` and by ours at 2 threads. **${rounds} interleaved rounds**: each round ` +
      'runs every decoder once, starting one decoder further along each time, so a disturbance ' +
      'of the machine falls on all alike; the table gives the **median** round (the ratios ' +
      'and the chart use it) and the fastest.',
    '',
    "- MB/s = output (uncompressed) bytes per second, 1 MB = 10^6 bytes. Before any timing each decoder's " +
      'output is checked against the input, byte for byte; a decoder that fails or gives other ' +
      'bytes ends the benchmark with an error.',
    '- Ours: `decompress(data, { threads })` (the promise, on the thread pool) and ' +
      '`decompressSync(data, { threads })`, on a Buffer in memory. `threads: 1` is the ' +
      "sequential libbzip2 decoder, today's path. Where the library does not yet read " +
      '`threads`, every thread count runs that same path.',
    '- The CLIs read the file on stdin and write to stdout through pipes (`spawnSync`), timed ' +
      'from spawn to exit (process start and pipe copies included, as in the main table). ' +
      'CPython runs in one process of its own, kept ready; each of its runs is one ' +
      '`bz2.decompress(data)` call timed inside Python.',
  ];
  for (const result of results) {
    const bytes = result.dataset.data.length;
    const base = medianRate(result, decoderRow(result, DECOMPRESS_SERIES.bzip2));
    const rank = (series: string): number => ORDER.indexOf(series);
    const rows = [...result.rows]
      .sort((a, b) => rank(a.series) - rank(b.series) || a.threads - b.threads)
      .map((row) => {
        const mid = medianRate(result, row);
        const low = Math.min(...row.seconds);
        const high = Math.max(...row.seconds);
        return [
          row.tool,
          row.source === 'bzip2' ? `\`${result.by}\`` : '`pbzip2 -9 -p2`',
          String(row.threads),
          mid === undefined ? '—' : speed(mid),
          speed(bytes / low / 1e6),
          `${median(row.seconds).toFixed(3)} (${low.toFixed(3)}–${high.toFixed(3)})`,
          mid !== undefined && base ? `${(mid / base).toFixed(2)}x` : '—',
        ];
      });
    const size = (source: Source): string => {
      const value = result.sizes[source];
      return value === undefined
        ? ''
        : `${source === 'bzip2' ? result.by : 'pbzip2 -9 -p2'}: ${value} bytes`;
    };
    parts.push(
      '',
      `### ${result.dataset.name}: ${bytes} bytes out`,
      '',
      `Compressed: ${[size('bzip2'), size('pbzip2')].filter(Boolean).join('; ')}.`,
      '',
      contention(result.othersCores, 'these rounds'),
      '',
      table(
        [
          'decoder',
          'file',
          'threads',
          'median MB/s',
          'fastest MB/s',
          'seconds: median (range)',
          'median vs bzip2 -d',
        ],
        ['left', 'left', 'right', 'right', 'right', 'right', 'right'],
        rows,
      ),
    );
    if (result.skipped.length > 0) {
      parts.push('', `Not measured: ${result.skipped.join('; ')}.`);
    }
  }
  return parts.join('\n');
}

/** Each decompression series drawn, and the legend name it shares with its compression line. */
const CHART_LINES: readonly (readonly [string, string])[] = [
  [DECOMPRESS_SERIES.oursSync, chartName(SERIES.oursSync)],
  [DECOMPRESS_SERIES.oursAsync, chartName(SERIES.oursAsync)],
  [DECOMPRESS_SERIES.lbzip2, chartName(SERIES.lbzip2)],
  [DECOMPRESS_SERIES.pbzip2, chartName(SERIES.pbzip2)],
  [DECOMPRESS_SERIES.pbzip2Pbzip2File, 'pbzip2 -d -p2 on a pbzip2 -9 -p2 file'],
  [DECOMPRESS_SERIES.oursPbzip2File, 'bz2-napi decompress() on a pbzip2 -9 -p2 file'],
];

/** The single-threaded decoders, drawn as dashed lines in their compression colours. */
const CHART_REFERENCES: readonly (readonly [string, string])[] = [
  [DECOMPRESS_SERIES.bzip2, chartName(SERIES.bzip2)],
  [DECOMPRESS_SERIES.python, chartName(SERIES.python)],
];

/** The chart's decompression panels: a line per threaded decoder, dashed lines for the others. */
export function decompressionPanels(results: readonly DecompressionResult[]): ChartPanel[] {
  return results.map((result) => ({
    title: `${result.dataset.name} (${(result.dataset.data.length / 1e6).toFixed(0)} MB out)`,
    series: CHART_LINES.map(([series, name]) => ({
      name,
      points: result.rows.flatMap((row) => {
        const mbps = row.series === series ? medianRate(result, row) : undefined;
        return mbps === undefined ? [] : [[row.threads, mbps] as const];
      }),
    })).filter((line) => line.points.length > 0),
    references: CHART_REFERENCES.flatMap(([series, name]) => {
      const mbps = medianRate(result, decoderRow(result, series));
      return mbps === undefined ? [] : [{ name, value: mbps }];
    }),
  }));
}
