/**
 * Byte identity with libbzip2 1.0.8: golden outputs of `bzip2 -N` (test/fixtures/golden) and, when
 * python3 is present, CPython's bz2.compress and bz2.decompress on the same inputs. Threads are
 * always explicit: one thread is libbzip2's own stream, more is the block-parallel pipeline, and
 * the default depends on the machine's cores.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { decompressSync } from '../lib/index';
import { caseInput } from './helpers/cases';
import { compressWhole, type Via } from './helpers/compress-whole';
import { corpusDigest, corpusFiles, missingShared } from './helpers/corpus';
import { golden, goldenFile, sha256 } from './helpers/golden';
import { goldenOutput } from './helpers/golden-output';
import { GOLDEN_CASES } from './helpers/inputs';
import {
  havePython,
  NO_PYTHON,
  pythonCompressDigests,
  pythonDecompressDigests,
} from './helpers/python';

interface Door {
  readonly via: Via;
  readonly threads: number;
}
const doorName = ({ via, threads }: Door): string =>
  via === 'class' || via === 'classAsync' ? via : `${via}, ${threads} thread(s)`;

/** Our outputs' digests, each computed once: the Python parity tests read the ones made here. */
const digests = new Map<string, Promise<string>>();
function ourDigest(name: string, level: number, door: Door): Promise<string> {
  const key = `${name}/${level}/${doorName(door)}`;
  let digest = digests.get(key);
  if (!digest) {
    const input = caseInput(name);
    // A stream is written in 64 KiB chunks, as a file would be read.
    const chunks: Buffer[] = [];
    for (let at = 0; at < input.length; at += 65536) chunks.push(input.subarray(at, at + 65536));
    digest = compressWhole(input, { level, ...door, chunks }).then(sha256);
    digests.set(key, digest);
  }
  return digest;
}

const ALL_JOBS = GOLDEN_CASES.flatMap((testCase) =>
  testCase.levels.map((level) => ({ name: testCase.name, level })),
);

/**
 * Each golden case at every level, through these two: BZ2Compressor (the pipeline with one
 * thread: blocks compressed on the calling thread) and compressSync with two pool threads.
 */
const FULL: readonly Door[] = [
  { via: 'class', threads: 1 },
  { via: 'sync', threads: 2 },
];

/** The other doors and thread counts, each at 1 and at more than 1 thread where it has any. */
const DOORS: readonly Door[] = [
  { via: 'sync', threads: 1 },
  { via: 'sync', threads: 4 },
  { via: 'promise', threads: 1 },
  { via: 'promise', threads: 2 },
  { via: 'promise', threads: 4 },
  { via: 'stream', threads: 1 },
  { via: 'stream', threads: 2 },
  { via: 'stream', threads: 4 },
  { via: 'classAsync', threads: 1 },
];

/**
 * Where every door is tried: the run cases (RLE1's edges) at the smallest and largest block,
 * the inputs that end one byte before, at and after a full block at levels 1 and 2 (several
 * blocks for the pipeline, and the empty last block of an exact fill), 12 blocks with runs
 * across their edges, and 4 MiB (more than one asynchronous step) in one block.
 */
const DOOR_JOBS = ALL_JOBS.filter(
  ({ name, level }) =>
    (/^(empty|one-byte|run-\d+)$/.test(name) && (level === 1 || level === 9)) ||
    /^random-(9998[0-2]|19998[0-2])$/.test(name) ||
    (name === 'runs-1200000' && level === 1) ||
    (name === 'zeros-4MiB' && level === 1),
);

// Python compresses every case at every level (seconds of work): started before the first
// test, it runs on the other core while the byte-identity tests run on this one.
let pythonCompressed: Promise<string[]> = Promise.resolve([]);
before(function () {
  if (!havePython()) return;
  pythonCompressed = pythonCompressDigests(
    ALL_JOBS.map((job) => ({ input: caseInput(job.name), level: job.level })),
  );
  pythonCompressed.catch(() => undefined); // the tests that await it report a failure
});

async function checkGolden(name: string, level: number, door: Door): Promise<void> {
  const data = caseInput(name);
  const before = sha256(data);
  // compressSync at 2 threads is made once per process (one-shot.test.ts decompresses it).
  const output =
    door.via === 'sync' && door.threads === 2
      ? goldenOutput(name, level)
      : await compressWhole(data, { level, ...door });
  const expected = golden(name, level);
  assert.equal(output.length, expected.size);
  const digest = sha256(output);
  assert.equal(digest, expected.sha256);
  digests.set(`${name}/${level}/${doorName(door)}`, Promise.resolve(digest));
  const file = goldenFile(name, level);
  if (file) assert.deepEqual(output, file);
  assert.equal(sha256(data), before, 'input was modified');
}

for (const door of FULL) {
  const title =
    door.via === 'class' ? 'BZ2Compressor' : `compressSync with ${door.threads} threads`;
  describe(`${title} output is byte-identical to bzip2 -N`, () => {
    for (const { name, level } of ALL_JOBS) {
      it(`${name} at level ${level}`, () => checkGolden(name, level, door));
    }
  });
}

describe('decompressSync', () => {
  it('round-trips every golden input at every level', () => {
    // goldenOutput is compressSync's output, checked against bzip2 -N's digest when made, and
    // made by the tests above: here, in the same file, it is never made twice (the files run in
    // separate processes).
    for (const testCase of GOLDEN_CASES) {
      const data = caseInput(testCase.name);
      for (const level of testCase.levels) {
        assert.ok(
          decompressSync(goldenOutput(testCase.name, level)).equals(data),
          `${testCase.name} l${level}`,
        );
      }
    }
  });
});

describe('every front door at 1, 2 and 4 threads is byte-identical to bzip2 -N', () => {
  for (const door of DOORS) {
    describe(doorName(door), () => {
      for (const { name, level } of DOOR_JOBS) {
        it(`${name} at level ${level}`, () => checkGolden(name, level, door));
      }
    });
  }
});

describe("our output is byte-identical to Python's bz2.compress", function () {
  if (!havePython()) {
    it.skip(NO_PYTHON);
    return;
  }

  it('Python agrees with the golden files for every case and level', async () => {
    const python = await pythonCompressed;
    ALL_JOBS.forEach((job, i) => {
      assert.equal(python[i], golden(job.name, job.level).sha256, `${job.name} l${job.level}`);
    });
  });

  const doorJobs = new Set(DOOR_JOBS.map(({ name, level }) => `${name}/${level}`));
  ALL_JOBS.forEach(({ name, level }, i) => {
    const doors = doorJobs.has(`${name}/${level}`) ? [...FULL, ...DOORS] : FULL;
    it(`${name} at level ${level}: ${doors.map(doorName).join('; ')}`, async () => {
      const python = (await pythonCompressed)[i];
      assert.ok(python);
      for (const door of doors) {
        assert.equal(await ourDigest(name, level, door), python, doorName(door));
      }
    });
  });
});

describe("decompressSync gives Python's bz2.decompress output on the bzip2 -N files", function () {
  const dir = join(__dirname, 'fixtures', 'golden');
  const files = readdirSync(dir)
    .filter((file) => file.endsWith('.bz2'))
    .sort();
  if (!havePython()) {
    it.skip(NO_PYTHON);
    return;
  }
  let python: { length: number; sha256: string }[] = [];
  before(async () => {
    python = await pythonDecompressDigests(files.map((file) => readFileSync(join(dir, file))));
  });

  files.forEach((file, i) => {
    it(file, () => {
      const output = decompressSync(readFileSync(join(dir, file)));
      assert.deepEqual({ length: output.length, sha256: sha256(output) }, python[i]);
      // And both are the case's input.
      assert.equal(sha256(output), sha256(caseInput(file.replace(/\.l\d\.bz2$/, ''))));
    });
  });
});

describe("our output is byte-identical to Python's bz2.compress on real data", function () {
  const files = corpusFiles();
  if (files.length === 0) {
    it.skip(missingShared('corpus'));
    return;
  }
  if (!havePython()) {
    it.skip(NO_PYTHON);
    return;
  }
  const jobs = files.flatMap((file) => [1, 9].map((level) => ({ file, level })));
  let python: string[] = [];
  before(async () => {
    python = await pythonCompressDigests(
      jobs.map((job) => ({ input: readFileSync(job.file), level: job.level })),
    );
  });

  jobs.forEach((job, i) => {
    const doors: Door[] = [
      { via: 'class', threads: 1 },
      { via: 'sync', threads: 1 },
      { via: 'sync', threads: 2 },
    ];
    it(`${basename(job.file)} at level ${job.level}: ${doors.map(doorName).join('; ')}`, async () => {
      // Digests shared with parallel.test.ts, which compares them with BZ2Compressor's.
      for (const door of doors) {
        assert.equal(await corpusDigest(job.file, job.level, door), python[i], doorName(door));
      }
    });
  });
});
