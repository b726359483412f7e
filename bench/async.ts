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
/** Each concurrency level runs this often and keeps its fastest wall time (least disturbed). */
const ROUNDS = 5;

/** What the event loop saw while one call ran. */
interface Probe<T> {
  readonly result: T;
  /** Wall time of the call in seconds. */
  readonly seconds: number;
  /** Largest gap between two ticks of a 1 ms interval, in ms (about 1 ms when idle). */
  readonly maxGapMs: number;
  /** When that gap ended, in ms after the call began (where to look for its cause). */
  readonly maxGapEndMs: number;
  /** Time from the call to the first tick after it: its synchronous part, in ms. */
  readonly firstTickMs: number;
  /** Largest gap after that first tick, in ms: the steady state, without the synchronous part. */
  readonly maxGapAfterMs: number;
  /** monitorEventLoopDelay's maximum and 99th percentile, in ms. */
  readonly histMaxMs: number;
  readonly histP99Ms: number;
  /** The longest garbage-collection pause during the call, in ms. */
  readonly gcMaxMs: number;
}

/**
 * Runs `run` while watching the event loop three ways: our own 1 ms interval (exact gaps, and
 * when they happened), Node's delay histogram, and GC pauses (the usual other source of stalls).
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
  let maxGapEnd = 0;
  let firstTick: number | undefined;
  let maxGapAfter = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    const gap = now - last;
    if (gap > maxGap) {
      maxGap = gap;
      maxGapEnd = now;
    }
    if (now > start) {
      if (firstTick === undefined) firstTick = now;
      else maxGapAfter = Math.max(maxGapAfter, gap);
    }
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
    maxGapEndMs: maxGapEnd - start,
    firstTickMs: (firstTick ?? NaN) - start,
    maxGapAfterMs: maxGapAfter,
    histMaxMs: histogram.max / 1e6,
    histP99Ms: histogram.percentile(99) / 1e6,
    gcMaxMs: Math.max(0, ...during.map((gc) => gc.duration)),
  };
}

const asError = (error: unknown): Error =>
  error instanceof Error ? error : new Error(String(error));

const fixed = (value: number, digits = 1): string => value.toFixed(digits);

/** One row of the responsiveness table, or why the call failed. */
function gapRow(name: string, p: Probe<unknown> | Error): string {
  if (p instanceof Error) return `| ${name} | failed: ${p.message} | | | | | | | | no |`;
  const verdict = p.maxGapMs < TARGET_MS ? 'yes' : 'no';
  return `| ${name} | ${fixed(p.seconds, 2)} | ${fixed(p.maxGapMs)} | ${fixed(p.maxGapEndMs, 0)} | ${fixed(p.firstTickMs)} | ${fixed(p.maxGapAfterMs)} | ${fixed(p.histMaxMs)} | ${fixed(p.histP99Ms)} | ${fixed(p.gcMaxMs)} | ${verdict} |`;
}

/** `data` rotated left by `by` bytes: the same content, different blocks, a distinct input. */
function rotate(data: Buffer, by: number): Buffer {
  return Buffer.concat([data.subarray(by), data.subarray(0, by)]);
}

/**
 * Benchmarks the async one-shot API on the shared corpus at level 9.
 *
 * @remarks Part 1 runs one `compress()` and one `decompress()` of an 18 MB input and records
 * the longest event-loop stall during each (target: under 10 ms), beside `compressSync` /
 * `decompressSync` on the same data, which stall the loop for their whole duration. Part 2
 * starts N = 1, 2, 4, 8 `compress()` calls of different ~3 MB inputs together and reports the
 * aggregate throughput. Takes well under 90 s on a 2-core machine.
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

  const asyncCompress = await probe(() => compress(large, LEVEL));
  const syncCompress = await probe(() => compressSync(large, LEVEL));
  if (!asyncCompress.result.equals(syncCompress.result)) {
    throw new Error('compress() and compressSync() gave different bytes');
  }
  const packed = asyncCompress.result;
  // A failing decompress() is reported in its row rather than losing the whole run.
  const asyncDecompress = await probe(() => decompress(packed)).catch(asError);
  const syncDecompress = await probe(() => decompressSync(packed));
  if (!syncDecompress.result.equals(large)) {
    throw new Error('decompressSync() did not give the input back');
  }
  if (!(asyncDecompress instanceof Error) && !asyncDecompress.result.equals(large)) {
    throw new Error('decompress() did not give the input back');
  }

  // Distinct inputs per task, so no two tasks compress identical blocks.
  const max = CONCURRENCY[CONCURRENCY.length - 1] ?? 1;
  const inputs = Array.from({ length: max }, (_, i) =>
    rotate(corpus, Math.floor((i * corpus.length) / max)),
  );
  const throughput: { n: number; bytes: number; best: Probe<Buffer[]> }[] = [];
  for (const n of CONCURRENCY) {
    const tasks = inputs.slice(0, n);
    let best: Probe<Buffer[]> | undefined;
    for (let round = 0; round < ROUNDS; round++) {
      const run = await probe(() => Promise.all(tasks.map((input) => compress(input, LEVEL))));
      if (!best || run.seconds < best.seconds) best = run;
    }
    if (!best) throw new Error('no rounds ran');
    throughput.push({ n, bytes: tasks.reduce((sum, input) => sum + input.length, 0), best });
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
    'Gap = longest time between ticks of a 1 ms `setInterval` (about 1 ms when idle); ' +
      '"at" = when it ended, in ms after the call began. "Sync part" = time from the call to ' +
      'the first tick after it (what runs before its first `await`); "gap after" = the largest ' +
      'gap after that tick. Histogram = `monitorEventLoopDelay({ resolution: 1 })`. ' +
      'GC = longest garbage-collection pause.',
    '',
    `| call | time (s) | max gap (ms) | at (ms) | sync part (ms) | gap after (ms) | hist max (ms) | hist p99 (ms) | max GC (ms) | gap < ${TARGET_MS} ms |`,
    '|---|--:|--:|--:|--:|--:|--:|--:|--:|:-:|',
    gapRow('`compress()`', asyncCompress),
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
    '| N | input (MB) | wall (s) | aggregate MB/s | speed-up vs N=1 | max gap (ms) | sync part (ms) | gap after (ms) |',
    '|--:|--:|--:|--:|--:|--:|--:|--:|',
    ...throughput.map(({ n, bytes, best }) => {
      const rate = bytes / best.seconds;
      return `| ${n} | ${fixed(bytes / 1e6)} | ${fixed(best.seconds, 2)} | ${fixed(rate / 1e6, 2)} | ${fixed(rate / singleRate, 2)}x | ${fixed(best.maxGapMs)} | ${fixed(best.firstTickMs)} | ${fixed(best.maxGapAfterMs)} |`;
    }),
  ];
  return lines.join('\n');
}
