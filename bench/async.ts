/**
 * How well the async one-shot functions share: event-loop responsiveness while one large
 * `compress()` / `decompress()` runs on the thread pool, and the throughput of several
 * concurrent `compress()` calls. Not a test: the numbers vary with the machine.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { monitorEventLoopDelay, performance, PerformanceObserver } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { compress, compressSync, decompress, decompressSync } from '../lib/index';
import { corpusFiles } from '../test/helpers/corpus';

const LEVEL = 9;
/** Input of the responsiveness runs: enough for 20 level-9 blocks, i.e. 20+ pool steps. */
const LARGE_BYTES = 18_000_000;
/** The loop is called responsive when no tick gap reaches this. */
const TARGET_MS = 10;
const CONCURRENCY = [1, 2, 4, 8] as const;
/** Each responsiveness probe runs this often; the table gives the median and the worst. */
const GAP_ROUNDS = 5;
/** Each concurrency level runs this often and keeps its fastest wall time (least disturbed). */
const ROUNDS = 5;

/** What the event loop saw while one call ran. */
interface Probe<T> {
  readonly result: T;
  /** Wall time of the call in seconds. */
  readonly seconds: number;
  /** Largest gap between two ticks of a 1 ms interval, in ms (about 1 ms when idle). */
  readonly maxGapMs: number;
  /** Time from the call to the first tick after it: its synchronous part, in ms. */
  readonly firstTickMs: number;
  /** monitorEventLoopDelay's 99th percentile, in ms. */
  readonly histP99Ms: number;
  /** The longest garbage-collection pause during the call, in ms. */
  readonly gcMaxMs: number;
}

/**
 * Runs `run` while watching the event loop three ways: our own 1 ms interval (exact gaps),
 * Node's delay histogram, and GC pauses (the usual other source of stalls).
 */
async function probe<T>(run: () => T | Promise<T>): Promise<Probe<T>> {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  const gcPauses: { start: number; duration: number }[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gcPauses.push({ start: entry.startTime, duration: entry.duration });
    }
  });
  observer.observe({ entryTypes: ['gc'] });

  let start = Infinity;
  let last = performance.now();
  let maxGap = 0;
  let firstTick: number | undefined;
  const timer = setInterval(() => {
    const now = performance.now();
    maxGap = Math.max(maxGap, now - last);
    if (now > start && firstTick === undefined) firstTick = now;
    last = now;
  }, 1);
  histogram.enable();
  let result: T;
  let seconds: number;
  try {
    // Let the probes settle, then forget the setup so only the call itself is measured.
    await sleep(20);
    histogram.reset();
    // reset() also forgets the histogram's previous tick, so the first interval after it is
    // never recorded: without this wait a blocking call right after reset() would be missed.
    await sleep(5);
    maxGap = 0;

    start = performance.now();
    result = await run();
    seconds = (performance.now() - start) / 1000;
    // A synchronous call blocks the interval too: let it tick once more to record that gap.
    await sleep(5);
  } finally {
    clearInterval(timer);
    histogram.disable();
    for (const entry of observer.takeRecords()) {
      gcPauses.push({ start: entry.startTime, duration: entry.duration });
    }
    observer.disconnect();
  }

  const during = gcPauses.filter((gc) => gc.start >= start);
  return {
    result,
    seconds,
    maxGapMs: maxGap,
    firstTickMs: (firstTick ?? NaN) - start,
    histP99Ms: histogram.percentile(99) / 1e6,
    gcMaxMs: Math.max(0, ...during.map((gc) => gc.duration)),
  };
}

const asError = (error: unknown): Error =>
  error instanceof Error ? error : new Error(String(error));

const fixed = (value: number, digits = 1): string => value.toFixed(digits);

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2
    ? (sorted[mid] ?? NaN)
    : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
};

/** One row of the responsiveness table from several probes of one call, or why it failed. */
function gapRow(name: string, probes: readonly Probe<unknown>[] | Error): string {
  if (probes instanceof Error) return `| ${name} | failed: ${probes.message} | | | | | | | no |`;
  const of = (pick: (p: Probe<unknown>) => number): number => median(probes.map(pick));
  const gaps = probes.map((p) => p.maxGapMs);
  const verdict = of((p) => p.maxGapMs) < TARGET_MS ? 'yes' : 'no';
  return `| ${name} | ${fixed(
    of((p) => p.seconds),
    2,
  )} | ${fixed(of((p) => p.maxGapMs))} | ${fixed(Math.max(...gaps))} | ${fixed(of((p) => p.firstTickMs))} | ${fixed(of((p) => p.histP99Ms))} | ${fixed(of((p) => p.gcMaxMs))} | ${gaps.map((g) => fixed(g)).join(' ')} | ${verdict} |`;
}

/** `run` probed `rounds` times; the first failure ends it. */
async function probeRounds<T>(
  rounds: number,
  run: () => T | Promise<T>,
  check: (result: T) => void,
): Promise<Probe<T>[]> {
  const probes: Probe<T>[] = [];
  for (let round = 0; round < rounds; round++) {
    const p = await probe(run);
    check(p.result);
    probes.push(p);
  }
  return probes;
}

/** `data` rotated left by `by` bytes: the same content, different blocks, a distinct input. */
function rotate(data: Buffer, by: number): Buffer {
  return Buffer.concat([data.subarray(by), data.subarray(0, by)]);
}

/**
 * Benchmarks the async one-shot API on the shared corpus at level 9.
 *
 * @remarks Part 1 runs `compress()` of an 18 MB input at several `threads` (the default, 1, 2
 * and 4 x the cores) and `decompress()` of its output, each 5 times, and records the longest
 * event-loop stall during each call (target: a median under 10 ms), beside `compressSync` /
 * `decompressSync` on the same data, which stall the loop for their whole duration. Part 2
 * starts N = 1, 2, 4, 8 `compress()` calls of different ~3 MB inputs together and reports the
 * aggregate throughput and the stalls. Takes about 2 minutes on a 2-core machine.
 * @returns Markdown: a heading, the machine, and two tables.
 * @throws Error when the corpus (../shared/corpus) is missing or a round trip differs.
 */
export async function asyncBench(): Promise<string> {
  const files = corpusFiles();
  if (files.length === 0) throw new Error('no corpus: expected ../shared/corpus');
  const corpus = Buffer.concat(files.map((file) => readFileSync(file)));
  // Repeat the corpus, then cut to exactly LARGE_BYTES (Buffer.concat's totalLength truncates).
  const copies = Math.ceil(LARGE_BYTES / corpus.length);
  const large = Buffer.concat(new Array<Buffer>(copies).fill(corpus), LARGE_BYTES);

  // Warm up the code paths (and the thread pool's threads) so the first probe is not an outlier.
  const warm = await compress(corpus.subarray(0, 1_000_000), LEVEL);
  await decompress(warm).catch(() => undefined); // a failure is reported in its row below

  const packed = compressSync(large, LEVEL);
  const samePacked = (output: Buffer): void => {
    if (!output.equals(packed))
      throw new Error('compress() and compressSync() gave different bytes');
  };
  const sameLarge = (output: Buffer): void => {
    if (!output.equals(large)) throw new Error('decompression did not give the input back');
  };
  // The default (the cores), one thread (libbzip2 on the libuv pool), and more threads than
  // cores: the addon runs at most one block per core whatever `threads` asks for.
  const cores = availableParallelism();
  const threadCounts = [...new Set([cores, 1, 2, 4 * cores])];
  const compressRows: string[] = [];
  for (const threads of threadCounts) {
    const rounds = await probeRounds(
      GAP_ROUNDS,
      () => compress(large, { level: LEVEL, threads }),
      samePacked,
    );
    const name =
      threads === cores
        ? `\`compress()\`, threads ${threads} (default)`
        : `\`compress()\`, threads ${threads}`;
    compressRows.push(gapRow(name, rounds));
  }
  const syncCompress = await probeRounds(1, () => compressSync(large, LEVEL), samePacked);
  // A failing decompress() is reported in its row rather than losing the whole run.
  const asyncDecompress = await probeRounds(GAP_ROUNDS, () => decompress(packed), sameLarge).catch(
    asError,
  );
  const syncDecompress = await probeRounds(1, () => decompressSync(packed), sameLarge);

  // Distinct inputs per task, so no two tasks compress identical blocks.
  const max = CONCURRENCY[CONCURRENCY.length - 1] ?? 1;
  const inputs = Array.from({ length: max }, (_, i) =>
    rotate(corpus, Math.floor((i * corpus.length) / max)),
  );
  const throughput: { n: number; bytes: number; best: Probe<Buffer[]>; gaps: number[] }[] = [];
  for (const n of CONCURRENCY) {
    const tasks = inputs.slice(0, n);
    let best: Probe<Buffer[]> | undefined;
    const gaps: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const run = await probe(() => Promise.all(tasks.map((input) => compress(input, LEVEL))));
      gaps.push(run.maxGapMs);
      if (!best || run.seconds < best.seconds) best = run;
    }
    if (!best) throw new Error('no rounds ran');
    throughput.push({ n, bytes: tasks.reduce((sum, input) => sum + input.length, 0), best, gaps });
  }
  const single = throughput[0];
  if (!single) throw new Error('no concurrency levels ran');
  const singleRate = single.bytes / single.best.seconds;

  const pool = process.env['UV_THREADPOOL_SIZE'];
  const lines = [
    '## Async one-shot API: event-loop responsiveness and concurrent throughput',
    '',
    `Machine: ${cpus()[0]?.model ?? 'unknown CPU'}; os.availableParallelism() = ${availableParallelism()}; ` +
      `UV_THREADPOOL_SIZE = ${pool ?? '4 (default)'}; Node ${process.version}; level ${LEVEL}.`,
    '',
    `### Event-loop stalls while one call runs (${large.length} bytes in, ${packed.length} compressed)`,
    '',
    'Gap = longest time between ticks of a 1 ms `setInterval` (about 1 ms when idle), ' +
      `median and worst of ${GAP_ROUNDS} calls (all ${GAP_ROUNDS} listed; one for the sync calls). ` +
      '"Sync part" = time from the call to the first tick after it (what runs before its first ' +
      '`await`). p99 = `monitorEventLoopDelay({ resolution: 1 })`. GC = longest ' +
      'garbage-collection pause during the call. The verdict is on the median.',
    '',
    `| call | time (s) | gap, median (ms) | worst (ms) | sync part (ms) | p99 (ms) | max GC (ms) | each call's gap (ms) | gap < ${TARGET_MS} ms |`,
    '|---|--:|--:|--:|--:|--:|--:|---|:-:|',
    ...compressRows,
    gapRow('`compressSync()`', syncCompress),
    gapRow('`decompress()`', asyncDecompress),
    gapRow('`decompressSync()`', syncDecompress),
    '',
    `### N concurrent \`compress()\` calls (each ${corpus.length} bytes, a different rotation of the corpus)`,
    '',
    `All started together with \`Promise.all\`; best wall time of ${ROUNDS} rounds. ` +
      'MB/s counts input bytes. Each call uses the default `threads` (the cores) on the ' +
      "addon's shared pool, so one call already keeps every core busy.",
    '',
    '| N | input (MB) | wall (s) | aggregate MB/s | speed-up vs N=1 | gap, median of rounds (ms) | worst (ms) | sync part (ms) |',
    '|--:|--:|--:|--:|--:|--:|--:|--:|',
    ...throughput.map(({ n, bytes, best, gaps }) => {
      const rate = bytes / best.seconds;
      return `| ${n} | ${fixed(bytes / 1e6)} | ${fixed(best.seconds, 2)} | ${fixed(rate / 1e6, 2)} | ${fixed(rate / singleRate, 2)}x | ${fixed(median(gaps))} | ${fixed(Math.max(...gaps))} | ${fixed(best.firstTickMs)} |`;
    }),
  ];
  return lines.join('\n');
}
