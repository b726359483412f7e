/**
 * Whole-stream identity with `bzip2 -N` for the blocks where a block sorter or block writer goes
 * wrong (test/helpers/codec-inputs.ts): random and structured blocks (runs, periods of every
 * small length, near-periodic, two symbols, Fibonacci and Thue–Morse words, all-equal, blocks of
 * 1..20 entries, blocks one MTF symbol either side of a change in the Huffman table count,
 * blocks that exhaust libbzip2's work budget, whole blocks that are exactly
 * periodic), through every front door at 1 to 4 threads. test/fuzz/codec_fuzzer.cc compares
 * single blocks; this compares whole streams, where the cutting, the joining and each door's own
 * chunking come in too.
 *
 * The expected bytes are libbzip2 1.0.8's, made at test time by one python3 process
 * (`bz2.compress`, the same library and output as the CLI; that they equal `bzip2 -N`'s is
 * checked here on the hardest inputs and in golden.test.ts on the golden cases). Every door and
 * thread count compresses through the block pipeline and our codec (with one thread, the
 * synchronous calls on the calling thread).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BZ2Compressor,
  compress,
  compressSync,
  createCompressStream,
  decompressSync,
} from '../lib/index';
import {
  blockEntries,
  CODEC_INPUTS,
  firstBlockTables,
  isPower,
  mtfSymbols,
  tableCount,
  type CodecInput,
} from './helpers/codec-inputs';
import { Prng } from './helpers/inputs';
import { havePython, NO_PYTHON, runPython } from './helpers/python';
import { collect } from './helpers/streams';

const THREADS = [1, 2, 3, 4] as const;

interface Job {
  readonly input: CodecInput;
  readonly level: number;
}
const JOBS: readonly Job[] = CODEC_INPUTS.flatMap((input) =>
  input.levels.map((level) => ({ input, level })),
);

// --- The reference: bz2.compress, all jobs in one python3 process --------------------------------

const COMPRESS_TO_FILES = `
import bz2, json, sys
for source, level, target in json.load(sys.stdin):
    with open(source, 'rb') as f:
        data = f.read()
    with open(target, 'wb') as f:
        f.write(bz2.compress(data, level))
`;

/** `bz2.compress(input, level)` for each job, in order (each input written to a file once). */
async function pythonOutputs(jobs: readonly Job[]): Promise<Buffer[]> {
  const dir = mkdtempSync(join(tmpdir(), 'bz2-napi-codec-'));
  try {
    const files = new Map<CodecInput, string>();
    const spec = jobs.map(({ input, level }, i) => {
      let source = files.get(input);
      if (source === undefined) {
        source = join(dir, `${files.size}.bin`);
        writeFileSync(source, input.data);
        files.set(input, source);
      }
      return [source, level, join(dir, `${i}.bz2`)] as const;
    });
    await runPython(COMPRESS_TO_FILES, JSON.stringify(spec));
    return spec.map(([, , target]) => readFileSync(target));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// --- The front doors ---------------------------------------------------------------------------

/** BZ2Compressor as API.md §1 declares it (a constructor that takes only the level fits too). */
type CompressorClass = new (
  compresslevel?: number,
  options?: { threads?: number },
) => BZ2Compressor;
const Compressor: CompressorClass = BZ2Compressor;

/**
 * Whether BZ2Compressor honours `options.threads` (API.md §1). The output cannot tell, since it
 * must not change with the thread count; but the contract validates the option like the one-shot
 * functions' `threads`, so a constructor that honours it refuses 0 with ERR_OUT_OF_RANGE and
 * accepts 2. A constructor that ignores the option, or throws whenever it is given, is tested
 * at its default (no options) only, and these tests take up 1-4 threads by themselves as soon as
 * the option is honoured.
 */
function compressorTakesThreads(): boolean {
  try {
    new Compressor(1, { threads: 0 }).flush();
    return false; // ignored
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'ERR_OUT_OF_RANGE') return false;
  }
  try {
    return new Compressor(1, { threads: 2 }).flush().length === 14;
  } catch {
    return false;
  }
}

/** A 32-bit FNV-1a hash, to seed each door's chunking from the test's title. */
function seedOf(title: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < title.length; i++) hash = Math.imul(hash ^ title.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

/**
 * `data` in chunks of log-uniform sizes from 1 byte to min(256 KiB, its length), so that tiny
 * inputs are split byte by byte and large ones cross block boundaries mid-chunk; with `empties`,
 * an empty chunk now and then (BZ2Compressor takes them; a stream never sees them).
 */
function unevenChunks(data: Buffer, seed: number, empties: boolean): Buffer[] {
  const rng = new Prng(seed);
  const most = Math.min(data.length, 1 << 18);
  const chunks: Buffer[] = [];
  for (let at = 0; at < data.length;) {
    if (empties && rng.below(8) === 0) chunks.push(data.subarray(at, at));
    const size = Math.floor((most + 1) ** (rng.next() / 2 ** 32));
    chunks.push(data.subarray(at, at + size));
    at += size;
  }
  return chunks;
}

interface Door {
  readonly title: string;
  readonly run: (data: Buffer, level: number, seed: number) => Buffer | Promise<Buffer>;
}

function compressorDoors(threads: number | undefined): Door[] {
  const make = (level: number): BZ2Compressor =>
    threads === undefined ? new Compressor(level) : new Compressor(level, { threads });
  const count = threads === undefined ? 'default threads' : `${threads} thread(s)`;
  return [
    {
      title: `BZ2Compressor compress/flush (uneven chunks), ${count}`,
      run: (data, level, seed) => {
        const compressor = make(level);
        const parts = unevenChunks(data, seed, true).map((chunk) => compressor.compress(chunk));
        return Buffer.concat([...parts, compressor.flush()]);
      },
    },
    {
      title: `BZ2Compressor compressAsync/flushAsync (uneven chunks), ${count}`,
      run: async (data, level, seed) => {
        const compressor = make(level);
        // All queued at once: they run one at a time, in call order (API.md §4).
        const parts = unevenChunks(data, seed, true).map((chunk) =>
          compressor.compressAsync(chunk),
        );
        return Buffer.concat(await Promise.all([...parts, compressor.flushAsync()]));
      },
    },
  ];
}

const DOORS: readonly Door[] = [
  ...THREADS.map((threads): Door => ({
    title: `compressSync, ${threads} thread(s)`,
    run: (data, level) => compressSync(data, { level, threads }),
  })),
  ...THREADS.map((threads): Door => ({
    title: `compress (promise), ${threads} thread(s)`,
    run: (data, level) => compress(data, { level, threads }),
  })),
  ...THREADS.map((threads): Door => ({
    title: `createCompressStream (uneven chunks), ${threads} thread(s)`,
    run: (data, level, seed) =>
      collect(unevenChunks(data, seed, false), createCompressStream({ level, threads })),
  })),
  ...(compressorTakesThreads() ? THREADS.flatMap(compressorDoors) : compressorDoors(undefined)),
];

/** Asserts byte identity; on failure says where the outputs part, not a megabyte diff. */
function assertSameBytes(ours: Buffer, reference: Buffer): void {
  if (ours.equals(reference)) return;
  const common = Math.min(ours.length, reference.length);
  let at = 0;
  while (at < common && ours[at] === reference[at]) at++;
  const hex = (bytes: Buffer): string => bytes.subarray(at, at + 8).toString('hex');
  assert.fail(
    `${ours.length} bytes against bzip2 -N's ${reference.length}; they part at byte ${at} ` +
      `(ours ${hex(ours)}…, bzip2's ${hex(reference)}…)`,
  );
}

// --- The tests ---------------------------------------------------------------------------------

/**
 * bz2.compress's output for every job, made once: python3 compresses on the other core while
 * the tests before the first door run here.
 */
let pythonStarted: Promise<Buffer[]> | undefined;
function references(): Promise<Buffer[]> {
  if (!pythonStarted) {
    pythonStarted = pythonOutputs(JOBS);
    pythonStarted.catch(() => undefined); // the tests that await it report the failure
  }
  return pythonStarted;
}
async function reference(job: Job): Promise<Buffer> {
  const output = (await references())[JOBS.indexOf(job)];
  assert.ok(output, 'no reference output');
  return output;
}

describe('codec identity with bzip2 -N', () => {
  before(() => {
    if (havePython()) void references();
  });

  describe('the inputs are what their names say', () => {
    it('blocks claimed periodic are u^k (k ≥ 2) after RLE1, and the others are not', () => {
      const wrong = CODEC_INPUTS.filter((input) => {
        if (!input.periodicBlocks) return false;
        const blocks = blockEntries(input.data, input.levels[0] ?? 9);
        return blocks.map(isPower).join() !== input.periodicBlocks.join();
      });
      assert.deepEqual(
        wrong.map((input) => input.name),
        [],
      );
    });

    it('the tiny blocks have the entries their names say, and "N blocks" inputs have N', () => {
      const wrong = CODEC_INPUTS.filter((input) => {
        const blocks = blockEntries(input.data, input.levels[0] ?? 9);
        const claimed = /(\d+) blocks/.exec(input.name)?.[1];
        if (claimed !== undefined && blocks.length !== Number(claimed)) return true;
        return input.entries !== undefined && blocks[0]?.length !== input.entries;
      });
      assert.deepEqual(
        wrong.map((input) => input.name),
        [],
      );
      assert.deepEqual(
        Array.from({ length: 20 }, (_, i) => i + 1).filter(
          (n) => !CODEC_INPUTS.some((input) => input.entries === n),
        ),
        [],
        'a block size of 1..20 entries is missing',
      );
    });

    it('the table-count edges have their MTF symbols, and bzip2 codes them with that many tables', async function () {
      if (!havePython()) this.skip();
      const edges = JOBS.filter(({ input }) => input.symbols !== undefined);
      assert.equal(edges.length, 8);
      for (const job of edges) {
        const { data, name, symbols = 0 } = job.input;
        assert.equal(mtfSymbols(data), symbols, name);
        assert.equal(firstBlockTables(await reference(job)), tableCount(symbols), name);
      }
    });

    // Levels 1, 2 and 9 with several blocks: the pipeline's cutting and joining at each.
    for (const level of [1, 2, 9]) {
      it(`several inputs have more than one block at level ${level}`, () => {
        const many = JOBS.filter(
          (job) => job.level === level && blockEntries(job.input.data, level).length > 1,
        );
        assert.ok(many.length >= 2, `${many.length}`);
      });
    }

    // The CLI itself, on the inputs where libbzip2 works hardest: its bytes are the reference's,
    // and its log (-vv) shows the main sort giving up where the input claims it does.
    const cli = spawnSync('bzip2', ['--help'], { stdio: 'ignore' }).error === undefined;
    for (const job of JOBS.filter(({ input }) => input.fallbackSort)) {
      const { input, level } = job;
      const title = `${input.name} at level ${level}: bzip2 -${level} writes bz2.compress's bytes, and its main sort gives up on every block`;
      if (!cli || !havePython()) {
        it.skip(`${title} (skipped: the bzip2 CLI or python3 is missing)`);
        continue;
      }
      it(title, async () => {
        const run = spawnSync('bzip2', ['-vv', `-${level}`, '-c'], {
          input: input.data,
          maxBuffer: 1 << 26,
        });
        assert.equal(run.status, 0, run.stderr.toString());
        assertSameBytes(run.stdout, await reference(job));
        const log = run.stderr.toString('latin1');
        const blocks = log.match(/block \d+: crc/g)?.length ?? 0;
        assert.equal(blocks, blockEntries(input.data, level).length);
        assert.equal(log.match(/too repetitive; using fallback sorting/g)?.length ?? 0, blocks);
      });
    }
  });

  describe('every front door at 1-4 threads', function () {
    if (!havePython()) {
      it.skip(NO_PYTHON);
      return;
    }
    for (const job of JOBS) {
      const { input, level } = job;
      describe(`${input.name} at level ${level}`, () => {
        it('decompressSync gives the input back', async () => {
          assert.ok(decompressSync(await reference(job)).equals(input.data));
        });
        for (const door of DOORS) {
          it(door.title, async () => {
            const want = await reference(job);
            const seed = seedOf(`${input.name}/${level}/${door.title}`);
            assertSameBytes(await door.run(input.data, level, seed), want);
          });
        }
      });
    }
  });
});
