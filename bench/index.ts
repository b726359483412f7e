/**
 * npm run bench: bzip2 compression and decompression on the same two ~20 MB inputs by bz2-napi
 * (sync, async and the BZ2Compressor class, 1 to 4 threads), the bzip2 CLI, CPython's bz2,
 * lbzip2, pbzip2, compressjs, libbzip2-wasm and gzip for context; our level 1 against level 9
 * (bench/levels.ts); the per-stage profile of one thread, libbzip2's stages against ours
 * (bench/profile.ts); peak memory per block in flight against libbzip2's (bench/memory.ts); the
 * targets; then ours against CPython per corpus file, the async API's event-loop behaviour
 * (bench/async.ts), and the `bz2-napi` command line against bzip2, lbzip2 and pbzip2 on files
 * (bench/cli-compare.ts, which also writes bench/results/cli.md and cli-headline.md). Prints
 * Markdown and writes it, with an SVG chart of throughput against threads, to bench/results/.
 * Not a test: numbers vary with the machine.
 *
 * Environment: BENCH_SECONDS (seconds of runs per measurement, default 1), BENCH_BYTES (size of
 * each dataset, default 20000000), BENCH_INSTALL=0 (never apt-get the CLI peers),
 * BENCH_DECOMPRESS_ROUNDS (side-by-side rounds of the decompression section, default 5), and
 * bench/cli-compare.ts's CLI_BENCH_ROUNDS, CLI_BENCH_STARTUP_ROUNDS and CLI_BENCH_NODE_BYTES.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { asyncBench } from './async';
import { renderChart, type ChartPanel } from './chart';
import { cliBench } from './cli-compare';
import { chartName, SERIES } from './contenders';
import { cpuSnapshot, othersCores } from './contention';
import { blocks, corpusDataset, typescriptDataset } from './datasets';
import {
  decompressionPanels,
  decompressionSection,
  measureDecompression,
  type DecompressionResult,
} from './decompression';
import { perFileTable } from './files';
import { describeMachine, machineLine, packageVersion, type Machine } from './machine';
import { formatMarkdown } from './markdown';
import { levelsSection, measureLevels, type LevelResult } from './levels';
import {
  decompressMemorySection,
  measureDecompressMemory,
  measureMemory,
  memorySection,
  type DecompressMemoryResult,
  type MemoryResult,
} from './memory';
import { findPeers, PEER_PROGRAMS } from './peers';
import { profileDataset, profileSection, type DatasetProfile } from './profile';
import { hasPython, timePython, type PythonTimes } from './python';
import {
  BUSY_CORES,
  comparisonTable,
  contentionLine,
  decompressionTargetsNote,
  decompressionTargetsTable,
  machineSection,
  rate,
  sweepTable,
  targetsTable,
  THREADED,
  type DatasetResult,
} from './report';
import { runDataset } from './run';
import { GZIP_LEVEL, LEVEL, readSettings, type Settings } from './settings';
import { loadWasmBzip2, type WasmBzip2 } from './wasm';

const RESULTS = join(__dirname, 'results');

function chartPanels(results: readonly DatasetResult[]): ChartPanel[] {
  return results.map(({ dataset, rows }) => {
    const bytes = dataset.data.length;
    const value = (series: string): number | undefined => {
      const row = rows.find((r) => r.series === series && r.threads === 1);
      return row && rate(row.compress, bytes);
    };
    return {
      title: `${dataset.name} (${(bytes / 1e6).toFixed(0)} MB)`,
      series: THREADED.map((series) => ({
        name: chartName(series),
        points: rows.flatMap((row) => {
          const mbps = row.series === series ? rate(row.compress, bytes) : undefined;
          return mbps === undefined ? [] : [[row.threads, mbps] as const];
        }),
      })).filter((series) => series.points.length > 0),
      references: [SERIES.bzip2, SERIES.python].flatMap((name) => {
        const mbps = value(name);
        return mbps === undefined ? [] : [{ name: chartName(name), value: mbps }];
      }),
    };
  });
}

/** For the chart: a shared machine's numbers must not pass for a quiet machine's. */
function busyNote(others: number | undefined): string {
  return others !== undefined && others > BUSY_CORES
    ? `; SHARED MACHINE: other processes used ${others.toFixed(2)} cores`
    : '';
}

function method(settings: Settings, results: readonly DatasetResult[]): string {
  const reference = results.find((r) => r.reference)?.reference?.by ?? 'no reference';
  return [
    `- Level ${LEVEL} for every bzip2 tool (bzip2's default), gzip at level ${GZIP_LEVEL}. ` +
      'MB/s = input (uncompressed) bytes per second, 1 MB = 10^6 bytes, in both directions.',
    "- Before any timing, each tool's first output is checked: it must decompress to the input " +
      '(with our `decompressSync`, which reads concatenated streams, or zlib for gzip), and ' +
      "the tool's own decompressor must give the input back; a failure is shown, never timed.",
    `- Times: the fastest of ≥ ${settings.budget.minRuns} runs and ≥ ${settings.seconds} s of ` +
      'runs (BENCH_SECONDS); compressjs compresses once (pure JavaScript, hundreds of times slower).',
    '- Same bytes in memory for every tool. Node libraries get Buffers; the CLIs get the data on ' +
      'stdin and write to stdout through pipes (`spawnSync`), timed from spawn to exit, so their ' +
      'times include starting the process and the pipe copies; CPython times `bz2.compress` / ' +
      '`bz2.decompress` in its own process on the same bytes.',
    "- Each tool decompresses its own output. pbzip2's has one stream per block, which is what " +
      "lets it decompress in parallel. Our `decompressSync` / `decompress()` rows pass the row's " +
      '`threads` (where the library ignores it, all thread counts are one thread); ' +
      '`BZ2Decompressor` has no `threads` and decodes on one thread. The side-by-side ' +
      'decompression section below times every decoder on the same `bzip2 -9` file.',
    `- "identical" = byte-equal to ${reference} on the same input; the ratios in the "vs bzip2" ` +
      'columns divide by the bzip2 CLI row.',
    `- Thread counts ${settings.sweep.join(', ')} are compressed for the chart; the main table ` +
      `shows ${settings.tableThreads.join(' and ')}.`,
  ].join('\n');
}

/** The sections measured after the main comparison, per dataset in the same order. */
interface Extras {
  readonly levels: readonly LevelResult[];
  readonly profiles: readonly DatasetProfile[];
  readonly memory: readonly MemoryResult[];
  /** The side-by-side decompression, per dataset that had a `bzip2 -9` file. */
  readonly decompression: readonly DecompressionResult[];
  /** Peak memory of decompressing those files. */
  readonly decompressMemory: readonly DecompressMemoryResult[];
}

function report(
  settings: Settings,
  machine: Machine,
  results: readonly DatasetResult[],
  extras: Extras,
  skipped: readonly string[],
  others: number | undefined,
): string {
  const parts = [
    '# bz2-napi benchmark',
    '',
    machineSection(machine),
    '',
    contentionLine(others, 'the whole comparison'),
    '',
    method(settings, results),
  ];
  if (skipped.length > 0) {
    parts.push('', '**Skipped:**', '', ...skipped.map((line) => `- ${line}`));
  }
  for (const result of results) {
    const { dataset } = result;
    parts.push(
      '',
      `## ${dataset.name}: ${dataset.data.length} bytes, ${blocks(dataset.data.length)} blocks of 900 kB`,
      '',
      `Input: ${dataset.origin}.`,
      '',
      contentionLine(result.othersCores, 'these measurements'),
      '',
      comparisonTable(result, settings.tableThreads),
    );
  }
  parts.push(
    '',
    '## Compression throughput against threads',
    '',
    '![bzip2 -9 compression (top row) and decompression (bottom row) MB/s against threads](threads.svg)',
  );
  for (const result of results) {
    parts.push('', `### ${result.dataset.name}`, '', sweepTable(result, settings.sweep));
  }
  if (extras.decompression.length > 0) {
    parts.push(
      '',
      decompressionSection(extras.decompression, contentionLine),
      '',
      "The chart's bottom row draws these medians against threads.",
    );
  }
  parts.push('', levelsSection(extras.levels, settings.budget));
  parts.push('', profileSection(extras.profiles));
  parts.push('', memorySection(extras.memory));
  if (extras.decompressMemory.length > 0) {
    parts.push('', decompressMemorySection(extras.decompressMemory));
  }
  parts.push(
    '',
    '## Targets',
    '',
    "Issue 12's targets at level 9, from the tables above: speeds from the main table (MB/s " +
      'ratios, so "lbzip2\'s time ÷ ours" is our MB/s ÷ lbzip2\'s), levels from the level ' +
      'table, memory from the rows with the input in pieces and outputs dropped (the ' +
      'compressSync column: `BZ2Compressor.compress`, the same native sync call, which copies ' +
      'the partial block it carries between calls where one compressSync call reads in place; ' +
      'the compress() column: `compressAsync`). A miss is shown as it is.',
    '',
  );
  for (const [index, result] of results.entries()) {
    const name = result.dataset.name;
    parts.push(
      `### ${name}`,
      '',
      targetsTable(
        result,
        extras.levels.find((l) => l.dataset.name === name),
        extras.memory[index],
      ),
      '',
    );
    const decompression = extras.decompression.find((d) => d.dataset.name === name);
    if (decompression) {
      parts.push(
        `Issue 13 (decompression; medians of ${decompression.rounds} side-by-side rounds):`,
        '',
        decompressionTargetsTable(decompression),
        '',
      );
    }
  }
  if (extras.decompression.length > 0) {
    parts.push(decompressionTargetsNote(), '');
  }
  return parts.join('\n');
}

async function main(): Promise<void> {
  const started = performance.now();
  const settings = readSettings();
  const work = mkdtempSync(join(tmpdir(), 'bz2-napi-bench-'));
  try {
    const peers = findPeers(settings.install);
    const skipped = [...peers.skipped];
    let wasm: WasmBzip2 | undefined;
    try {
      wasm = await loadWasmBzip2();
    } catch (error) {
      skipped.push(`libbzip2-wasm: did not load: ${String(error)}`);
    }

    const datasets = [corpusDataset(settings.bytes), typescriptDataset(settings.bytes)];
    const measuring = cpuSnapshot();
    // CPython runs once for both datasets, before anything else loads the machine.
    let python: PythonTimes | undefined;
    const jobs = datasets.map((dataset) => {
      const input = join(work, `${dataset.name}.in`);
      writeFileSync(input, dataset.data);
      return { input, output: join(work, `${dataset.name}.python.bz2`) };
    });
    if (hasPython()) {
      process.stderr.write('bench: CPython bz2 on both datasets\n');
      python = timePython(jobs, LEVEL, settings.budget);
    } else {
      skipped.push('CPython bz2: python3 not found');
    }

    const results: DatasetResult[] = [];
    const levels: LevelResult[] = [];
    const decompression: DecompressionResult[] = [];
    for (const [index, dataset] of datasets.entries()) {
      const job = jobs[index];
      if (!job) throw new Error('no input file for the dataset');
      const own = python ? { times: python, index, output: job.output } : undefined;
      const result = await runDataset(dataset, settings, peers, wasm, own);
      results.push(result);
      if (result.reference) {
        decompression.push(
          await measureDecompression(
            dataset,
            result.reference,
            peers,
            settings.decompressRounds,
            job.input,
            work,
          ),
        );
      } else {
        skipped.push(`decompression side by side on ${dataset.name}: no bzip2 -9 file to decode`);
      }
      levels.push(await measureLevels(dataset, settings.budget));
    }
    const others = othersCores(measuring, cpuSnapshot());

    // Thread CPU time and peak memory: neither is a wall-clock speed, so they come after.
    const profiles = datasets.map((dataset) => {
      process.stderr.write(`bench: ${dataset.name}: per-stage profile\n`);
      return profileDataset(dataset);
    });
    const memory = datasets.map((dataset, index) => {
      const job = jobs[index];
      if (!job) throw new Error('no input file for the memory cases');
      return measureMemory(dataset.name, job.input, dataset.data.length);
    });
    const decompressMemory = decompression.map((d) =>
      measureDecompressMemory(d.dataset.name, d.file, d.dataset.data.length),
    );

    const tools = [
      ...PEER_PROGRAMS.flatMap((program) => peers.versions.get(program) ?? []),
      ...(python ? [`CPython ${python.version} bz2 (libbzip2 ${python.libbz2})`] : []),
      `compressjs ${packageVersion('compressjs')}`,
      `libbzip2-wasm ${packageVersion('libbzip2-wasm')}`,
      `node:zlib (zlib ${process.versions.zlib})`,
    ];
    const machine = describeMachine(tools);
    mkdirSync(RESULTS, { recursive: true });
    writeFileSync(
      join(RESULTS, 'threads.svg'),
      renderChart({
        title: `bzip2 -${LEVEL} compression and decompression throughput against threads`,
        subtitle: `${machineLine(machine)}; ${settings.bytes / 1e6} MB inputs; decompression: medians of ${settings.decompressRounds} rounds${busyNote(others)}`,
        xLabel: 'threads',
        rows: [
          { label: 'compression', yLabel: 'MB/s of input', panels: chartPanels(results) },
          ...(decompression.length > 0
            ? [
                {
                  label: 'decompression',
                  yLabel: 'MB/s of output',
                  panels: decompressionPanels(decompression),
                },
              ]
            : []),
        ],
        cores: machine.cores,
      }),
    );

    const path = join(RESULTS, 'results.md');
    const main = await formatMarkdown(
      report(
        settings,
        machine,
        results,
        { levels, profiles, memory, decompression, decompressMemory },
        skipped,
        others,
      ),
      path,
    );
    console.log(main);

    const extra: string[] = [];
    if (python) extra.push(await perFileTable(settings.fileBudget, work));
    extra.push(await asyncBench());
    try {
      extra.push(await cliBench());
    } catch (error) {
      // A wrong output of the CLI fails the run, without losing the sections measured before it.
      console.error(error);
      process.exitCode = 1;
      extra.push(`## Command line\n\n**FAILED:** ${String(error)}`);
    }
    const rest = await formatMarkdown(extra.join('\n\n'), path);
    console.log(rest);

    const minutes = (performance.now() - started) / 60_000;
    const footer = `_This \`npm run bench\` took ${minutes.toFixed(1)} minutes (BENCH_SECONDS=${settings.seconds})._\n`;
    console.log(footer);
    writeFileSync(path, await formatMarkdown(`${main}\n${rest}\n${footer}`, path));
    process.stderr.write(`bench: wrote ${path} and ${join(RESULTS, 'threads.svg')}\n`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
