/**
 * The `bz2-napi` command line against `bzip2`, `lbzip2` and `pbzip2`, each run as a user runs it:
 * on a real file in a temporary folder (`-k -f`, writing `FILE.bz2` next to `FILE`), never
 * through pipes. Two inputs: this Node's own executable (about 100 MB of machine code that every
 * reader has, so `bz2-napi -9 -k $(which node)` reproduces the headline) and the corpus dataset of
 * the main benchmark. Compression at -9, decompression of `bzip2 -9`'s file, and the start-up
 * cost (`-c < /dev/null`). Every output is checked: bz2-napi's `.bz2` must be byte-identical to
 * `bzip2 -9`'s, and every decompressed file must be the input, or the benchmark fails.
 *
 * Part of `npm run bench` (bench/index.ts); alone: `node --import tsx bench/cli-compare.ts`,
 * which prints the Markdown section. Either way it writes bench/results/cli.md and the README's
 * headline table, bench/results/cli-headline.md.
 *
 * Environment: CLI_BENCH_ROUNDS (interleaved timed rounds, default 5), CLI_BENCH_STARTUP_ROUNDS
 * (runs of each start-up command, default 20), CLI_BENCH_NODE_BYTES (compress only the first N
 * bytes of the Node executable: for smoke runs; the report says so), and the main benchmark's
 * BENCH_BYTES (size of the corpus dataset, default 20000000) and BENCH_INSTALL=0 (never apt-get
 * lbzip2 / pbzip2).
 */
import { spawnSync, type StdioOptions } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { decompressSync } from '../lib/index';
import { defaultThreads } from '../lib/options';
import { clockTicks, cpuSnapshot, othersCores } from './contention';
import { blocks, corpusDataset, type Dataset } from './datasets';
import { describeMachine, machineLine, type Machine } from './machine';
import { formatMarkdown, table } from './markdown';
import { findPeers, PEER_PROGRAMS, type PeerProgram } from './peers';
import { contentionLine, machineSection } from './report';
import { positive, readSettings } from './settings';
import { interleaved, median, type Timer } from './timing';

const ROOT = join(__dirname, '..');
const RESULTS = join(__dirname, 'results');
/** The `bin` of package.json, compiled from lib/cli/ by `tsc -p tsconfig.build.json`. */
const CLI_MAIN = join(ROOT, 'dist', 'cli', 'main.js');

type ToolName = 'bz2-napi' | PeerProgram;
type Direction = 'compress' | 'decompress';

/** Table and headline order: the baseline first. */
const TOOL_ORDER: readonly ToolName[] = ['bzip2', 'bz2-napi', 'lbzip2', 'pbzip2'];
/** The headline's tools (pbzip2 only in the full tables). */
const HEADLINE_TOOLS: readonly ToolName[] = ['bz2-napi', 'bzip2', 'lbzip2'];

/** Flags that would change what bzip2, bz2-napi or lbzip2 do, dropped from the children's env. */
const FLAG_VARIABLES = ['BZIP2', 'BZIP', 'LBZIP2', 'LBZIP'] as const;

interface Tool {
  readonly name: ToolName;
  /** Threads it is told to use (bz2-napi: its default, no -T). */
  readonly threads: number;
  /** Flags before the file name. */
  readonly flags: Readonly<Record<Direction, readonly string[]>>;
}

function toolList(have: (name: PeerProgram) => boolean): Tool[] {
  const cores = String(availableParallelism());
  const list: Tool[] = [
    {
      name: 'bz2-napi',
      threads: defaultThreads(),
      flags: { compress: ['-9', '-k', '-f'], decompress: ['-d', '-k', '-f'] },
    },
    {
      name: 'bzip2',
      threads: 1,
      flags: { compress: ['-9', '-k', '-f'], decompress: ['-d', '-k', '-f'] },
    },
    {
      name: 'lbzip2',
      threads: availableParallelism(),
      flags: {
        compress: ['-9', '-k', '-f', '-n', cores],
        decompress: ['-d', '-k', '-f', '-n', cores],
      },
    },
    {
      name: 'pbzip2',
      threads: availableParallelism(),
      flags: {
        compress: ['-9', '-k', '-f', `-p${cores}`],
        decompress: ['-d', '-k', '-f', `-p${cores}`],
      },
    },
  ];
  return list.filter((tool) => tool.name === 'bz2-napi' || have(tool.name));
}

/** The program and arguments that start `name`; bz2-napi is its bin script on this Node. */
function command(name: ToolName, args: readonly string[]): [string, string[]] {
  return name === 'bz2-napi' ? [process.execPath, [CLI_MAIN, ...args]] : [name, [...args]];
}

/** How a command reads in the report. */
const shown = (name: ToolName, args: readonly string[]): string =>
  `\`${[name, ...args].join(' ')}\``;

const childEnv = (): NodeJS.ProcessEnv => {
  const env = { ...process.env };
  for (const name of FLAG_VARIABLES) delete env[name];
  return env;
};

/**
 * User plus system CPU seconds of this process's waited-for children so far (/proc/self/stat's
 * cutime and cstime, in clock ticks); undefined without /proc.
 */
function childrenCpuSeconds(): number | undefined {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    // The command name, field 2, is in parentheses and may hold spaces: split after it.
    const fields = stat
      .slice(stat.lastIndexOf(')') + 2)
      .split(' ')
      .map(Number);
    // Fields 16 and 17 (cutime, cstime) are 13 and 14 counting from field 3.
    const ticks = (fields[13] ?? NaN) + (fields[14] ?? NaN);
    return Number.isFinite(ticks) ? ticks / clockTicks() : undefined;
  } catch {
    return undefined;
  }
}

/** One run of one command. */
interface Sample {
  /** Spawn to exit, in seconds. */
  readonly wall: number;
  /** The child's user + system seconds (all its threads), or undefined without /proc. */
  readonly cpu: number | undefined;
}

interface Ran extends Sample {
  readonly stdout: Buffer;
}

/** Runs `name args` in `cwd` with stdin `stdin` (an fd, or nothing); throws unless it exits 0. */
function run(name: ToolName, args: readonly string[], cwd: string, stdin?: number): Ran {
  const [program, argv] = command(name, args);
  const stdio: StdioOptions = [stdin ?? 'ignore', stdin === undefined ? 'ignore' : 'pipe', 'pipe'];
  const cpuBefore = childrenCpuSeconds();
  const start = performance.now();
  const child = spawnSync(program, argv, { cwd, stdio, env: childEnv(), maxBuffer: 1 << 20 });
  const wall = (performance.now() - start) / 1000;
  const cpuAfter = childrenCpuSeconds();
  if (child.error) throw child.error;
  if (child.status !== 0) {
    const why = child.stderr.toString().trim() || `signal ${child.signal ?? '?'}`;
    throw new Error(
      `${[name, ...args].join(' ')} (in ${cwd}) exited with ${child.status ?? 'no status'}: ${why}`,
    );
  }
  const cpu = cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore;
  return { wall, cpu, stdout: child.stdout ?? Buffer.alloc(0) };
}

/** The first offset where `a` and `b` differ (or the shorter length). */
function firstDifference(a: Buffer, b: Buffer): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) if (a[i] !== b[i]) return i;
  return length;
}

/** One timed command on one input, with every round's sample. */
export interface Row {
  readonly tool: ToolName;
  readonly direction: Direction;
  /** The command as the report shows it, without the file name. */
  readonly command: string;
  readonly threads: number;
  readonly samples: readonly Sample[];
  /** Size of the output file: the .bz2 when compressing, the input's size when decompressing. */
  readonly outputBytes: number;
}

export interface InputResult {
  readonly name: string;
  /** Where the bytes come from, for the report. */
  readonly origin: string;
  readonly bytes: number;
  /** True when CLI_BENCH_NODE_BYTES cut this input: not the numbers to publish. */
  readonly truncated: boolean;
  readonly rows: readonly Row[];
  /** Size of `bzip2 -9`'s output, which bz2-napi's equals byte for byte. */
  readonly bzip2Bytes: number;
  readonly othersCores: number | undefined;
}

interface StartupRow {
  readonly command: string;
  readonly seconds: readonly number[];
}

export interface CliResult {
  readonly machine: Machine;
  readonly rounds: number;
  readonly inputs: readonly InputResult[];
  readonly startup: readonly StartupRow[];
  /** File system type of the temporary folder. */
  readonly fileSystem: string;
  readonly skipped: readonly string[];
  readonly minutes: number;
}

/** An input file for the comparison. */
interface Input {
  readonly name: string;
  readonly origin: string;
  readonly data: Buffer;
  readonly truncated: boolean;
}

function nodeInput(): Input {
  const whole = readFileSync(process.execPath);
  const limit = Math.round(positive('CLI_BENCH_NODE_BYTES', Infinity));
  const data = limit < whole.length ? whole.subarray(0, limit) : whole;
  const truncated = data.length < whole.length;
  return {
    name: 'node',
    origin: truncated
      ? `the first ${data.length} bytes of the Node ${process.version} executable ` +
        `(\`${process.execPath}\`, ${whole.length} bytes; cut by CLI_BENCH_NODE_BYTES)`
      : `the Node ${process.version} executable itself (\`${process.execPath}\`, machine code)`,
    data,
    truncated,
  };
}

function datasetInput(dataset: Dataset): Input {
  return { name: dataset.name, origin: dataset.origin, data: dataset.data, truncated: false };
}

/**
 * Measures every tool on `input` in `work`: a checking round, then `rounds` interleaved rounds of
 * every compression and decompression command.
 */
async function measureInput(
  input: Input,
  tools: readonly Tool[],
  rounds: number,
  work: string,
): Promise<InputResult> {
  const { name, data } = input;
  const cores = availableParallelism();
  const compressDir = join(work, name, 'compress');
  const decompressDir = join(work, name, 'decompress');
  mkdirSync(compressDir, { recursive: true });
  mkdirSync(decompressDir, { recursive: true });
  const source = join(compressDir, name);
  writeFileSync(source, data);
  const packedPath = `${source}.bz2`;
  const log = (line: string): boolean => process.stderr.write(`bench: cli: ${name}: ${line}\n`);

  // The checking round, bzip2 first: its output is the reference and the decompressors' input.
  const ordered = [...tools].sort(
    (a, b) => TOOL_ORDER.indexOf(a.name) - TOOL_ORDER.indexOf(b.name),
  );
  const firsts = new Map<ToolName, Buffer>();
  for (const tool of ordered) {
    log(`checking ${[tool.name, ...tool.flags.compress].join(' ')}`);
    run(tool.name, [...tool.flags.compress, name], compressDir);
    const packed = readFileSync(packedPath);
    unlinkSync(packedPath);
    const reference = firsts.get('bzip2');
    if (tool.name === 'bz2-napi') {
      if (!reference) throw new Error('no bzip2 -9 output to compare bz2-napi with');
      if (!packed.equals(reference)) {
        throw new Error(
          `${name}: bz2-napi -9 wrote ${packed.length} bytes that differ from bzip2 -9's ` +
            `${reference.length} at offset ${firstDifference(packed, reference)}`,
        );
      }
    } else if (tool.name !== 'bzip2') {
      roundTrip(name, tool.name, packed, data, cores);
    }
    firsts.set(tool.name, packed);
  }
  const reference = firsts.get('bzip2');
  if (!reference) throw new Error('no bzip2 -9 output');

  const packedInput = join(decompressDir, `${name}.bz2`);
  const unpackedPath = join(decompressDir, name);
  writeFileSync(packedInput, reference);
  const checkUnpacked = (tool: ToolName): void => {
    const unpacked = readFileSync(unpackedPath);
    unlinkSync(unpackedPath);
    if (!unpacked.equals(data)) {
      throw new Error(
        `${name}: ${tool} -d gave ${unpacked.length} bytes that are not the ${data.length} ` +
          `input bytes (first difference at ${firstDifference(unpacked, data)})`,
      );
    }
  };
  for (const tool of ordered) {
    log(`checking ${[tool.name, ...tool.flags.decompress].join(' ')}`);
    run(tool.name, [...tool.flags.decompress, `${name}.bz2`], decompressDir);
    checkUnpacked(tool.name);
  }

  // The timed rounds: every command once per round, the outputs checked again outside the timing.
  interface Job {
    readonly tool: Tool;
    readonly direction: Direction;
    readonly samples: Sample[];
  }
  const jobs: Job[] = (['compress', 'decompress'] as const).flatMap((direction) =>
    ordered.map((tool) => ({ tool, direction, samples: [] })),
  );
  const once = (job: Job): number => {
    const { tool, direction } = job;
    if (direction === 'compress') {
      const sample = run(tool.name, [...tool.flags.compress, name], compressDir);
      const packed = readFileSync(packedPath);
      unlinkSync(packedPath);
      const first = firsts.get(tool.name);
      if (!first?.equals(packed)) {
        // bzip2 and bz2-napi always write the same bytes; a parallel peer might not.
        if (tool.name === 'bzip2' || tool.name === 'bz2-napi') {
          throw new Error(`${name}: ${tool.name} -9 wrote other bytes than in its first run`);
        }
        roundTrip(name, tool.name, packed, data, cores);
      }
      job.samples.push(sample);
      return sample.wall;
    }
    const sample = run(tool.name, [...tool.flags.decompress, `${name}.bz2`], decompressDir);
    checkUnpacked(tool.name);
    job.samples.push(sample);
    return sample.wall;
  };
  const timers: Timer[] = jobs.map((job) => () => Promise.resolve(once(job)));
  log(`${rounds} interleaved rounds of ${timers.length} commands`);
  const before = cpuSnapshot();
  await interleaved(timers, rounds);
  const others = othersCores(before, cpuSnapshot());

  const rows: Row[] = jobs.map(({ tool, direction, samples }) => ({
    tool: tool.name,
    direction,
    command: shown(tool.name, tool.flags[direction]),
    threads: tool.threads,
    samples,
    outputBytes: direction === 'compress' ? (firsts.get(tool.name)?.length ?? NaN) : data.length,
  }));
  for (const row of rows) {
    log(
      `${row.command}: ${rateOf(data.length, row).toFixed(1)} MB/s (median of ${row.samples.length})`,
    );
  }
  rmSync(join(work, name), { recursive: true, force: true });
  return {
    name,
    origin: input.origin,
    bytes: data.length,
    truncated: input.truncated,
    rows,
    bzip2Bytes: reference.length,
    othersCores: others,
  };
}

/** Throws unless `packed` (made by `tool`) decompresses to `data`; our decoder reads pbzip2's streams. */
function roundTrip(
  name: string,
  tool: ToolName,
  packed: Buffer,
  data: Buffer,
  threads: number,
): void {
  let unpacked: Buffer;
  try {
    unpacked = decompressSync(packed, { threads });
  } catch (error) {
    throw new Error(`${name}: ${tool} -9's output does not decompress: ${String(error)}`, {
      cause: error,
    });
  }
  if (!unpacked.equals(data)) {
    throw new Error(`${name}: ${tool} -9's output does not decompress to the input`);
  }
}

/**
 * Start-up cost: `-c < /dev/null` (an empty input: the 14-byte empty stream) by bz2-napi and
 * bzip2, and Node starting alone, `rounds` interleaved runs each after one checked run.
 */
async function measureStartup(rounds: number, work: string): Promise<StartupRow[]> {
  const nul = openSync('/dev/null', 'r');
  try {
    const ours = run('bz2-napi', ['-c'], work, nul).stdout;
    const theirs = run('bzip2', ['-c'], work, nul).stdout;
    if (!ours.equals(theirs)) {
      throw new Error(
        'bz2-napi -c < /dev/null did not write the bytes bzip2 -c < /dev/null writes',
      );
    }
    const nodeAlone = (): number => {
      const start = performance.now();
      const child = spawnSync(process.execPath, ['-e', ''], { stdio: 'ignore' });
      if (child.error) throw child.error;
      if (child.status !== 0) throw new Error(`node -e '' exited with ${child.status ?? '?'}`);
      return (performance.now() - start) / 1000;
    };
    const cases: { readonly command: string; readonly once: () => number }[] = [
      { command: '`bz2-napi -c < /dev/null`', once: () => run('bz2-napi', ['-c'], work, nul).wall },
      { command: '`bzip2 -c < /dev/null`', once: () => run('bzip2', ['-c'], work, nul).wall },
      { command: "`node -e ''`", once: nodeAlone },
    ];
    process.stderr.write(`bench: cli: start-up, ${rounds} interleaved rounds\n`);
    const seconds = await interleaved(
      cases.map(
        ({ once }) =>
          () =>
            Promise.resolve(once()),
      ),
      rounds,
    );
    return cases.map(({ command: shownCommand }, i) => ({
      command: shownCommand,
      seconds: seconds[i] ?? [],
    }));
  } finally {
    closeSync(nul);
  }
}

/** Rebuilds dist/ when a lib/ source is newer than its compiled file, so the CLI is today's code. */
function ensureBuilt(): void {
  const lib = join(ROOT, 'lib');
  const stale = readdirSync(lib, { recursive: true, encoding: 'utf8' })
    .filter((file) => /\.m?ts$/.test(file) && !file.endsWith('.d.ts') && !file.endsWith('.d.mts'))
    .some((file) => {
      const built = join(ROOT, 'dist', file.replace(/\.ts$/, '.js').replace(/\.mts$/, '.mjs'));
      return !existsSync(built) || statSync(built).mtimeMs < statSync(join(lib, file)).mtimeMs;
    });
  if (!stale) return;
  process.stderr.write('bench: cli: dist/ is older than lib/: tsc -p tsconfig.build.json\n');
  const tsc = require.resolve('typescript/bin/tsc');
  const build = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], {
    cwd: ROOT,
    stdio: ['ignore', 2, 2],
  });
  if (build.status !== 0) throw new Error('tsc -p tsconfig.build.json failed');
}

/** The file system type under `path`, as findmnt (or else `stat -f`) names it. */
function fileSystemOf(path: string): string {
  const mount = spawnSync('findmnt', ['-n', '-o', 'FSTYPE', '-T', path], { encoding: 'utf8' });
  if (mount.status === 0 && mount.stdout.trim() !== '') return mount.stdout.trim();
  const stat = spawnSync('stat', ['-f', '-c', '%T', path], { encoding: 'utf8' });
  return stat.status === 0 ? stat.stdout.trim() : 'unknown';
}

/** `n` and the noun, plural unless `n` is 1. */
const roundsText = (n: number): string => `${n} interleaved round${n === 1 ? '' : 's'}`;

function count(name: string, fallback: number): number {
  return Math.max(1, Math.round(positive(name, fallback)));
}

/** Measures everything: both inputs, then the start-up cost. */
export async function measureCli(): Promise<CliResult> {
  const started = performance.now();
  const settings = readSettings();
  const rounds = count('CLI_BENCH_ROUNDS', 5);
  const startupRounds = count('CLI_BENCH_STARTUP_ROUNDS', 20);
  ensureBuilt();
  const peers = findPeers(settings.install);
  const machine = describeMachine(PEER_PROGRAMS.flatMap((p) => peers.versions.get(p) ?? []));
  const skipped = [...peers.skipped];
  const work = mkdtempSync(join(tmpdir(), 'bz2-napi-cli-bench-'));
  try {
    const fileSystem = fileSystemOf(work);
    if (!peers.versions.has('bzip2')) {
      return { machine, rounds, inputs: [], startup: [], fileSystem, skipped, minutes: 0 };
    }
    const tools = toolList((program) => peers.versions.has(program));
    const inputs: InputResult[] = [];
    for (const input of [nodeInput(), datasetInput(corpusDataset(settings.bytes))]) {
      inputs.push(await measureInput(input, tools, rounds, work));
    }
    const startup = await measureStartup(startupRounds, work);
    const minutes = (performance.now() - started) / 60_000;
    return { machine, rounds, inputs, startup, fileSystem, skipped, minutes };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const median_ = (row: Row): number => median(row.samples.map((s) => s.wall));
const rateOf = (bytes: number, row: Row): number => bytes / median_(row) / 1e6;
const speed = (value: number): string => value.toFixed(value < 10 ? 2 : 1);
const secs = (value: number): string => value.toFixed(value < 10 ? 3 : 2);
const ratio = (value: number): string => (Number.isFinite(value) ? `${value.toFixed(2)}x` : '—');
const ms = (seconds: number): string => (seconds * 1000).toFixed(1);

function cpuCell(row: Row): string {
  const cpu = row.samples.map((s) => s.cpu);
  return cpu.every((value): value is number => value !== undefined) ? median(cpu).toFixed(2) : '—';
}

const rank = (row: Row): number =>
  (row.direction === 'compress' ? 0 : TOOL_ORDER.length) + TOOL_ORDER.indexOf(row.tool);

function find(input: InputResult, tool: ToolName, direction: Direction): Row | undefined {
  return input.rows.find((row) => row.tool === tool && row.direction === direction);
}

/** One input's table: both directions, bzip2 first in each. */
function inputTable(input: InputResult): string {
  const rows = [...input.rows].sort((a, b) => rank(a) - rank(b));
  return table(
    ['command', 'threads', 'wall s: median (min–max)', 'CPU s', 'MB/s', 'vs bzip2', 'output bytes'],
    ['left', 'right', 'right', 'right', 'right', 'right', 'right'],
    rows.map((row) => {
      const walls = row.samples.map((s) => s.wall);
      const base = find(input, 'bzip2', row.direction);
      const note =
        row.direction === 'compress' && row.tool === 'bz2-napi'
          ? ' (= bzip2)'
          : row.direction === 'decompress'
            ? ' (= input)'
            : '';
      return [
        row.command,
        String(row.threads),
        `${secs(median_(row))} (${secs(Math.min(...walls))}–${secs(Math.max(...walls))})`,
        cpuCell(row),
        speed(rateOf(input.bytes, row)),
        base ? ratio(median_(base) / median_(row)) : '—',
        `${row.outputBytes}${note}`,
      ];
    }),
  );
}

function startupNote(startup: readonly StartupRow[]): string {
  const describe = (row: StartupRow): string =>
    `${row.command} ${ms(median(row.seconds))} ms (${ms(Math.min(...row.seconds))}–${ms(Math.max(...row.seconds))})`;
  const [ours, bzip2, node] = startup;
  if (!ours || !bzip2 || !node) return '';
  return (
    `**Start-up**, median (min–max) of ${ours.seconds.length} interleaved runs on an empty input ` +
    `(both write the same 14-byte empty stream): ${describe(ours)}, against ${describe(bzip2)}; ` +
    `Node starting alone, ${describe(node)}. That fixed cost is inside every bz2-napi time above.`
  );
}

/** The Markdown section. */
export function cliSection(result: CliResult): string {
  const cores = result.machine.cores;
  const parts = [
    '## Command line: `bz2-napi` against bzip2, lbzip2 and pbzip2, on files',
    '',
    machineSection(result.machine),
    '',
  ];
  if (result.inputs.length === 0) {
    parts.push(`**Skipped:** ${result.skipped.join('; ')}; there is no baseline without bzip2.`);
    return parts.join('\n');
  }
  parts.push(
    `- Each tool runs as a user runs it, on a real file in a temporary folder (\`os.tmpdir()\`, ` +
      `${result.fileSystem}): \`-9 -k -f FILE\` writes \`FILE.bz2\` beside it; \`-d -k -f ` +
      'FILE.bz2` writes `FILE`. Every tool gets the same file, copied there first. bz2-napi is ' +
      '`dist/cli/main.js` (the package `bin`) started by this Node, at its default threads ' +
      `(no \`-T\`: os.availableParallelism() = ${cores}); lbzip2 and pbzip2 are given the ` +
      `same ${cores} cores (\`-n ${cores}\`, \`-p${cores}\`).`,
    '- Wall time from spawn to exit (process start and writing the output into the page cache ' +
      'included). CPU s = user + system seconds of the child, all its threads (cutime + cstime ' +
      'of /proc/self/stat, 10 ms resolution), median of the rounds.',
    "- A first, untimed round checks every output: bz2-napi's `.bz2` must be byte-identical to " +
      "`bzip2 -9`'s (or the benchmark fails), lbzip2's and pbzip2's must decompress to the input, " +
      'and every decompressed file must equal the input. Then ' +
      `**${roundsText(result.rounds)}** (CLI_BENCH_ROUNDS): each runs every command once, ` +
      'starting one command further along each time, so a disturbance of the machine falls on ' +
      "all alike; each round's outputs are checked again, outside the timing.",
    '- MB/s = uncompressed bytes ÷ the median wall time (1 MB = 10^6 bytes), both directions; ' +
      "vs bzip2 = bzip2's median time ÷ the command's, in the same direction.",
    '- Decompression: every decoder reads the same `bzip2 -9` file (one stream). pbzip2 decodes ' +
      "in parallel only files of many streams (its own); on bzip2's one-stream file it decodes " +
      'on one thread whatever `-p` says (compare its CPU time with its wall time).',
  );
  if (result.skipped.length > 0) {
    parts.push('', `**Not measured:** ${result.skipped.join('; ')}.`);
  }
  for (const input of result.inputs) {
    parts.push(
      '',
      `### ${input.name}: ${input.bytes} bytes, ${blocks(input.bytes)} blocks of 900 kB`,
      '',
      `Input: ${input.origin}.`,
      '',
      ...(input.truncated
        ? [
            '**Smoke run: the input is cut (CLI_BENCH_NODE_BYTES); do not quote these numbers.**',
            '',
          ]
        : []),
      contentionLine(input.othersCores, 'these rounds'),
      '',
      inputTable(input),
      '',
      `bz2-napi -9's output is byte-identical to \`bzip2 -9\`'s: ${input.bzip2Bytes} bytes, ` +
        'compared in every round.',
    );
  }
  const startup = startupNote(result.startup);
  if (startup) parts.push('', startup);
  parts.push(
    '',
    `_This section took ${result.minutes.toFixed(1)} minutes (CLI_BENCH_ROUNDS=${result.rounds})._`,
  );
  return parts.join('\n');
}

const grouped = (value: number): string => value.toLocaleString('en-US');

/**
 * The README's headline: the Node executable compressed and decompressed by bz2-napi, bzip2 and
 * lbzip2, from the same run as the full section.
 */
export function headline(result: CliResult): string {
  const input = result.inputs.find((i) => i.name === 'node');
  if (!input) return `No command-line comparison: ${result.skipped.join('; ')}.`;
  const version = (tool: ToolName): string =>
    result.machine.tools.find((line) => line.startsWith(`${tool} `)) ?? tool;
  const cell = (tool: ToolName, direction: Direction): string => {
    const row = find(input, tool, direction);
    const base = find(input, 'bzip2', direction);
    if (!row) return '—';
    const time = `${median_(row).toFixed(2)} s`;
    return tool === 'bzip2' || !base ? time : `${time} (${ratio(median_(base) / median_(row))})`;
  };
  const rows = HEADLINE_TOOLS.flatMap((tool) => {
    const compressRow = find(input, tool, 'compress');
    if (!compressRow) return [];
    return [
      [
        version(tool).replace(/ \(libbzip2 .*\)$/, ''),
        String(compressRow.threads),
        cell(tool, 'compress'),
        cell(tool, 'decompress'),
        `${grouped(compressRow.outputBytes)}${tool === 'bz2-napi' ? ' (= bzip2)' : ''}`,
      ],
    ];
  });
  const size = input.truncated
    ? `the first ${grouped(input.bytes)} bytes of Node ${process.version}'s executable (a smoke run: do not quote)`
    : `Node ${process.version}'s own executable, ${grouped(input.bytes)} bytes`;
  const lbzip2 = find(input, 'lbzip2', 'compress');
  return [
    `\`bz2-napi -9 -k $(which node)\` against \`bzip2 -9 -k\`` +
      (lbzip2 ? ` and \`lbzip2 -9 -k -n ${lbzip2.threads}\`` : '') +
      ` on ${size}; median wall time of ${roundsText(result.rounds)} on ` +
      `${machineLine(result.machine)}. Decompression: each reads \`bzip2 -9\`'s file. ` +
      "(Nx: bzip2's time ÷ the tool's.)",
    '',
    table(
      ['tool', 'threads', 'compress -9', 'decompress', '.bz2 bytes'],
      ['left', 'right', 'right', 'right', 'right'],
      rows,
    ),
    '',
    `${contentionLine(input.othersCores, 'these rounds')} Full table: ` +
      `[bench/results/cli.md](bench/results/cli.md).`,
  ].join('\n');
}

/** Measures, writes bench/results/cli.md and cli-headline.md, and returns the section. */
export async function cliBench(): Promise<string> {
  const result = await measureCli();
  mkdirSync(RESULTS, { recursive: true });
  const path = join(RESULTS, 'cli.md');
  const section = await formatMarkdown(cliSection(result), path);
  writeFileSync(path, section);
  const headlinePath = join(RESULTS, 'cli-headline.md');
  writeFileSync(headlinePath, await formatMarkdown(headline(result), headlinePath));
  process.stderr.write(
    `bench: cli: wrote ${relative(ROOT, path)} and ${relative(ROOT, headlinePath)}\n`,
  );
  return section;
}

if (require.main === module) {
  cliBench().then(
    (section) => console.log(section),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
