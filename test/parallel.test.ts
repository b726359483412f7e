/**
 * Block-parallel compression gives `bzip2 -N`'s bytes, whatever the thread count and chunking.
 *
 * The inputs (test/helpers/boundaries.ts) put libbzip2's block boundaries next to and inside runs
 * of the lengths where RLE1 changes behaviour (around 4, 255 and 2 × 255), with every way a block
 * can fill, at every level. Their expected outputs were made with the bzip2 CLI
 * (scripts/make-parallel-golden.ts, test/fixtures/parallel/manifest.json). Identity is checked,
 * not assumed: every engine and thread count against the CLI's sha256, and the block-cutting
 * model itself against the block CRCs libbzip2 writes.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { BZ2Compressor, compress, compressSync, createCompressStream } from '../lib/index';
import {
  cutBlocks,
  cutSituations,
  modelCrcs,
  PARALLEL_CASES,
  streamCrcs,
  type CutSituation,
} from './helpers/boundaries';
import { caseInput, caseNamed } from './helpers/cases';
import { corpusDigest, corpusFiles, missingShared } from './helpers/corpus';
import { sha256 } from './helpers/golden';
import { type GoldenCase } from './helpers/inputs';
import { havePython, NO_PYTHON, pythonCompressDigests } from './helpers/python';
import { collect } from './helpers/streams';
import { referenceCompress } from './helpers/reference';

interface Expected {
  readonly size: number;
  readonly sha256: string;
  readonly blocks: number;
}
interface Manifest {
  readonly note: string;
  readonly cases: Record<
    string,
    { input: { size: number; sha256: string }; levels: Record<string, Expected> }
  >;
}
const manifest = JSON.parse(
  readFileSync(join(__dirname, 'fixtures', 'parallel', 'manifest.json'), 'utf8'),
) as Manifest;

function expected(name: string, level: number): Expected {
  const entry = manifest.cases[name]?.levels[String(level)];
  if (!entry) throw new Error(`no expected output for ${name} at level ${level}`);
  return entry;
}

const THREADS = [1, 2, 3, 4] as const;
const LEVELS = [1, 2, 3, 4, 5, 6, 7, 8, 9] as const;
/**
 * The run lengths the issue asks for at block boundaries, spelled out here rather than imported,
 * so that a change in the generators cannot quietly shrink what is checked.
 */
const LENGTHS = [
  1, 2, 3, 4, 5, 6, 250, 251, 252, 253, 254, 255, 256, 257, 258, 259, 260, 509, 510, 511, 512,
];

function input(testCase: GoldenCase): Buffer {
  return caseInput(testCase.name);
}

const references = new Map<string, Buffer>();
/** libbzip2's own stream in process, all input with BZ_RUN then BZ_FINISH: the reference. */
function reference(testCase: GoldenCase, level: number): Buffer {
  const key = `${testCase.name}/${level}`;
  let output = references.get(key);
  if (!output) {
    output = referenceCompress(input(testCase), level);
    references.set(key, output);
  }
  return output;
}

/**
 * Digests of our outputs by case, level and door, kept as the identity tests make them, so that
 * the Python parity tests compare the same outputs rather than compressing everything again.
 */
interface Output {
  readonly size: number;
  readonly sha256: string;
}
const ours = new Map<string, Promise<Output>>();
function ourOutput(key: string, make: () => Buffer | Promise<Buffer>): Promise<Output> {
  let output = ours.get(key);
  if (!output) {
    output = Promise.resolve()
      .then(make)
      .then((bytes) => ({ size: bytes.length, sha256: sha256(bytes) }));
    output.catch(() => undefined); // the test that awaits it reports a failure
    ours.set(key, output);
  }
  return output;
}

const PYTHON_JOBS = PARALLEL_CASES.flatMap((testCase) =>
  testCase.levels.map((level) => ({ testCase, level })),
);
// CPython compresses every input at every level (seconds of work): started before the first
// test, it runs on the other core while the tests below run on this one.
let pythonDigests: Promise<string[]> = Promise.resolve([]);
before(function () {
  if (!havePython()) return;
  pythonDigests = pythonCompressDigests(
    PYTHON_JOBS.map((job) => ({ input: input(job.testCase), level: job.level })),
  );
  pythonDigests.catch(() => undefined); // the tests that await it report a failure
});

/** `data` cut at each of `offsets` (any order, duplicates and out-of-range ones ignored). */
function splitAt(data: Buffer, offsets: Iterable<number>): Buffer[] {
  const points = [...new Set(offsets)]
    .filter((o) => o > 0 && o < data.length)
    .sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let from = 0;
  for (const point of [...points, data.length]) {
    if (point > from) chunks.push(data.subarray(from, point));
    from = point;
  }
  return chunks;
}

function every(length: number, size: number): number[] {
  const offsets: number[] = [];
  for (let o = size; o < length; o += size) offsets.push(o);
  return offsets;
}

interface Chunking {
  readonly name: string;
  readonly chunks: (data: Buffer, level: number) => Buffer[];
}

/** Where each block ends, and where libbzip2 stopped reading for it (one byte later). */
function blockEdges(data: Buffer, level: number): number[] {
  return cutBlocks(data, level).flatMap((b) => (b.cutAt === undefined ? [] : [b.end, b.cutAt]));
}

const CHUNKINGS: readonly Chunking[] = [
  {
    // Each byte a chunk within 3 of every block edge: every place a chunk can end near a cut.
    name: 'single bytes around block edges',
    chunks: (data, level) =>
      splitAt(data, [
        ...blockEdges(data, level).flatMap((edge) => [-3, -2, -1, 0, 1, 2, 3].map((d) => edge + d)),
        ...every(data.length, 65543),
      ]),
  },
  { name: '4095-byte chunks', chunks: (data) => splitAt(data, every(data.length, 4095)) },
  { name: '65543-byte chunks', chunks: (data) => splitAt(data, every(data.length, 65543)) },
  {
    name: 'chunks split exactly at block edges',
    chunks: (data, level) => splitAt(data, blockEdges(data, level)),
  },
];

/**
 * Two of the four chunkings per thread count and level, rotating, so that each pairing of thread
 * count and chunking is tested at four or five levels without compressing everything 16 times.
 */
function chunkingsFor(threads: number, level: number): Chunking[] {
  return [0, 2].map((k) => {
    const chunking = CHUNKINGS[(threads + level + k) % CHUNKINGS.length];
    if (!chunking) throw new Error('no chunking');
    return chunking;
  });
}

function count(cuts: readonly CutSituation[], test: (cut: CutSituation) => boolean): number {
  return cuts.filter(test).length;
}

interface Door {
  readonly door: string;
  readonly make: () => Buffer | Promise<Buffer>;
}

/** Every front door and thread count (and, for streams, chunking) a case is tested through. */
function doorsOf(testCase: GoldenCase, level: number): Door[] {
  const doors: Door[] = [];
  for (const threads of THREADS) {
    doors.push(
      {
        door: `compressSync with ${threads} thread(s)`,
        make: () => compressSync(input(testCase), { level, threads }),
      },
      {
        door: `compress with ${threads} thread(s)`,
        make: () => compress(input(testCase), { level, threads }),
      },
    );
    if (testCase.name === 'empty' || testCase.name === 'one-byte') {
      doors.push({
        door: `createCompressStream with ${threads} thread(s)`,
        make: () => collect(splitAt(input(testCase), []), createCompressStream({ level, threads })),
      });
      continue;
    }
    const [first] = chunkingsFor(threads, level);
    if (first) {
      // Synchronous calls: with one thread the blocks are compressed on this thread.
      doors.push({
        door: `BZ2Compressor with ${threads} thread(s), ${first.name}`,
        make: () => {
          const compressor = new BZ2Compressor(level, { threads });
          const parts = first.chunks(input(testCase), level).map((c) => compressor.compress(c));
          return Buffer.concat([...parts, compressor.flush()]);
        },
      });
    }
    for (const chunking of chunkingsFor(threads, level)) {
      doors.push({
        door: `createCompressStream with ${threads} thread(s), ${chunking.name}`,
        make: () =>
          collect(
            chunking.chunks(input(testCase), level),
            createCompressStream({ level, threads }),
          ),
      });
    }
  }
  return doors;
}

/**
 * Starts the asynchronous doors' work for a case now (their tests await the same outputs): it
 * runs on libuv's and the addon's threads while this thread does synchronous work (building
 * inputs, references, CRCs, compressSync), so both cores stay busy. `oneThread` picks the doors
 * at one thread only.
 */
function prefetch(testCase: GoldenCase, level: number, oneThread: boolean): void {
  for (const { door, make } of doorsOf(testCase, level)) {
    if (door.startsWith('compressSync') || door.startsWith('BZ2Compressor')) continue;
    if (oneThread && !door.includes(' 1 thread')) continue;
    void ourOutput(`${testCase.name}/${level}/${door}`, make);
  }
}

describe('block-cutting model (test/helpers/boundaries.ts)', () => {
  // The model is what the inputs are built with and what their situations are read from, so it
  // must be libbzip2's rule exactly: each block CRC in libbzip2's output must be the CRC of the
  // model's block, and so must the combined CRC in the trailer.
  for (const testCase of PARALLEL_CASES) {
    for (const level of testCase.levels) {
      it(`cuts ${testCase.name} at level ${level} where libbzip2 does`, () => {
        const data = input(testCase);
        const found = streamCrcs(reference(testCase, level));
        prefetch(testCase, level, true); // beside the model's CRCs and the next inputs
        assert.deepEqual(found, modelCrcs(data, level));
        assert.equal(found.blockCrcs.length, expected(testCase.name, level).blocks);
      });
    }
  }

  for (const level of LEVELS) {
    it(`boundaries-l${level} has the boundary situations it is meant to have`, () => {
      const data = input(caseNamed(`boundaries-l${level}`));
      const blocks = cutBlocks(data, level);
      const cuts = cutSituations(data, level);
      assert.ok(blocks.length >= 3, `${blocks.length} blocks`);
      // libbzip2 stores a run when the next byte arrives, and checks for a full block only
      // between bytes, so the run carried over is always the single byte just read.
      assert.ok(cuts.every((cut) => cut.pending === 1));
      // nblock lands on nblockMAX + 0..4 after a 4-255 run (5 entries), having been at
      // nblockMAX - 1 before it for the +4 case.
      for (let overshoot = 0; overshoot < 5; overshoot++) {
        assert.ok(
          count(cuts, (c) => c.lastEntries === 5 && c.overshoot === overshoot) > 0,
          `no block filled to nblockMAX + ${overshoot} by a long run`,
        );
      }
      assert.ok(count(cuts, (c) => c.landedBefore === -1) > 0, 'no flush landed on nblockMAX - 1');
      const pairs = [
        [1, 0],
        [2, 1],
        [3, 2],
      ].filter(([e, o]) => count(cuts, (c) => c.lastEntries === e && c.overshoot === o) > 0);
      assert.ok(pairs.length >= (level <= 5 ? 3 : 1), `short last runs: ${pairs.join(' ')}`);
      const carried = (from: number, to: number): number =>
        count(cuts, (c) => c.runBefore === 0 && c.runAfter >= from && c.runAfter <= to);
      assert.ok(carried(2, 6) > 0, 'no short run carried over');
      assert.ok(carried(250, 260) > 0, 'no run of about 255 carried over');
      assert.ok(carried(509, 512) > 0, 'no run of about 2 × 255 carried over');
      assert.ok(
        count(cuts, (c) => c.runBefore === 0 && c.runAfter === 1 && c.nextRun >= 250) > 0,
        'no long run starting where libbzip2 stopped reading',
      );
      assert.ok(
        count(cuts, (c) => c.runBefore > 0 && c.runBefore % 255 === 0) > 0,
        'no boundary inside a run longer than 255',
      );
      if (level <= 5) {
        assert.ok(count(cuts, (c) => c.runBefore === 255) > 0);
        assert.ok(count(cuts, (c) => c.runBefore === 510) > 0);
      }

      const last = blocks[blocks.length - 1];
      assert.ok(last);
      if (level === 1) {
        // Every situation at level 1, where blocks are cheap.
        for (const length of LENGTHS) {
          assert.ok(carried(length, length) > 0, `no run of ${length} carried over`);
          assert.ok(
            count(cuts, (c) => c.runBefore > 0 && c.runAfter === length) > 0,
            `no run split into n × 255 + ${length} at a boundary`,
          );
          if (length > 1) {
            assert.ok(
              count(cuts, (c) => c.runAfter === 1 && c.nextRun === length) > 0,
              `no run of ${length} starting where libbzip2 stopped reading`,
            );
          }
        }
        for (const entries of [1, 2, 3, 5]) {
          for (let overshoot = 0; overshoot < entries; overshoot++) {
            assert.ok(count(cuts, (c) => c.lastEntries === entries && c.overshoot === overshoot));
          }
        }
        for (const length of [1, 2, 3, 4, 5, 6, 250, 251, 252, 253, 254, 255]) {
          assert.ok(count(cuts, (c) => c.lastRun === length) > 0, `no block ending in ${length}`);
        }
        // The stream ends inside a last block that BZ_FINISH completes with a long run.
        assert.ok(last.end - last.start > 1000);
        assert.ok(data.subarray(-600).every((byte) => byte === data[data.length - 1]));
      } else {
        // The input ends as a block fills: the last block is only the carried byte.
        assert.equal(last.end - last.start, 1);
      }
    });
  }

  it('levels 2 to 9 together carry a run of every length over a boundary', () => {
    const carried = new Set<number>();
    for (const level of LEVELS.slice(1)) {
      const data = input(caseNamed(`boundaries-l${level}`));
      for (const cut of cutSituations(data, level)) {
        if (cut.runBefore === 0) carried.add(cut.runAfter);
      }
    }
    assert.deepEqual(
      LENGTHS.filter((length) => !carried.has(length)),
      [],
    );
  });

  it('same-byte cuts every block of level 1 inside a run', () => {
    const data = input(caseNamed('same-byte'));
    const cuts = cutSituations(data, 1);
    assert.equal(cuts.length, 2);
    for (const cut of cuts) {
      assert.ok(cut.runBefore > 0 && cut.runBefore % 255 === 0);
      assert.equal(cut.lastRun, 255);
      assert.equal(cut.landedBefore, -1);
      assert.equal(cut.overshoot, 4);
    }
  });
});

describe('parallel compression is byte-identical to bzip2 -N', () => {
  for (const testCase of PARALLEL_CASES) {
    for (const level of testCase.levels) {
      describe(`${testCase.name} at level ${level}`, () => {
        const key = (door: string): string => `${testCase.name}/${level}/${door}`;
        const check = async (door: string, make: () => Buffer | Promise<Buffer>): Promise<void> => {
          const want = expected(testCase.name, level);
          const output = await ourOutput(key(door), make);
          assert.equal(output.size, want.size);
          assert.equal(output.sha256, want.sha256);
        };
        const doors = doorsOf(testCase, level);
        before(() => {
          prefetch(testCase, level, false);
        });

        it("libbzip2's stream (in process, the reference) gives the CLI output", async () => {
          const data = input(testCase);
          const recorded = manifest.cases[testCase.name]?.input;
          assert.deepEqual(
            { size: data.length, sha256: sha256(data) },
            recorded,
            'input generator changed: run scripts/make-parallel-golden.ts',
          );
          await check('libbzip2 stream', () => reference(testCase, level));
        });

        for (const { door, make } of doors) it(door, () => check(door, make));
      });
    }
  }
});

/** Outputs the Python parity tests compare: the reference, and ours at one and four threads. */
const PARITY_DOORS = [
  'libbzip2 stream',
  'compressSync with 1 thread(s)',
  'compressSync with 4 thread(s)',
  'compress with 1 thread(s)',
  'compress with 4 thread(s)',
];

describe("the boundary inputs give Python's bz2.compress output too", function () {
  if (!havePython()) {
    it.skip(NO_PYTHON);
    return;
  }

  it('for every input and level', async () => {
    const digests = await pythonDigests;
    PYTHON_JOBS.forEach((job, i) => {
      assert.equal(
        digests[i],
        expected(job.testCase.name, job.level).sha256,
        `${job.testCase.name} l${job.level}`,
      );
    });
  });

  PYTHON_JOBS.forEach(({ testCase, level }, i) => {
    it(`ours equal bz2.compress on ${testCase.name} at level ${level}: ${PARITY_DOORS.join('; ')}`, async () => {
      const python = (await pythonDigests)[i];
      assert.ok(python);
      const make: Record<string, () => Buffer | Promise<Buffer>> = {
        'libbzip2 stream': () => reference(testCase, level),
        'compressSync with 1 thread(s)': () => compressSync(input(testCase), { level, threads: 1 }),
        'compressSync with 4 thread(s)': () => compressSync(input(testCase), { level, threads: 4 }),
        'compress with 1 thread(s)': () => compress(input(testCase), { level, threads: 1 }),
        'compress with 4 thread(s)': () => compress(input(testCase), { level, threads: 4 }),
      };
      for (const door of PARITY_DOORS) {
        const output = await ourOutput(
          `${testCase.name}/${level}/${door}`,
          make[door] ?? (() => Buffer.alloc(0)),
        );
        assert.equal(output.sha256, python, door);
      }
    });
  });
});

describe("parallel compression of the shared corpus equals libbzip2's stream", () => {
  const files = corpusFiles();
  if (files.length === 0) it.skip(missingShared('corpus'));
  for (const file of files) {
    for (const level of [1, 9]) {
      it(`${basename(file)} at level ${level} with 1 to 4 threads`, async () => {
        // Digests shared with golden.test.ts, which compares the same outputs with CPython's.
        const want = await corpusDigest(file, level, { via: 'reference', threads: 1 });
        for (const threads of THREADS) {
          const message = `${threads} thread(s)`;
          const sync = await corpusDigest(file, level, { via: 'sync', threads });
          assert.equal(sync, want, message);
          // Most files are one block at level 9: the other ways in are tested at level 1.
          if (level === 1) {
            assert.equal(
              await corpusDigest(file, level, { via: 'promise', threads }),
              want,
              message,
            );
            const streamed = await corpusDigest(file, level, {
              via: 'stream',
              threads,
              chunkSize: 4095,
            });
            assert.equal(streamed, want, `stream, ${message}`);
          }
        }
      });
    }
  }
});
