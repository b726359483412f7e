/**
 * Byte identity with libbzip2 1.0.8: golden outputs of `bzip2 -N` (test/fixtures/golden) and, when
 * python3 is present, CPython's bz2.compress at the same level.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { BZ2Compressor, compressSync } from '../lib/index';
import { corpusFiles } from './helpers/corpus';
import { golden, goldenFile, sha256 } from './helpers/golden';
import { GOLDEN_CASES, type GoldenCase } from './helpers/inputs';
import { havePython, pythonCompressDigests } from './helpers/python';

const inputs = new Map<string, Buffer>();
function input(testCase: GoldenCase): Buffer {
  let bytes = inputs.get(testCase.name);
  if (!bytes) {
    bytes = testCase.make();
    inputs.set(testCase.name, bytes);
  }
  return bytes;
}

function compressWhole(data: Buffer, level: number): Buffer {
  const compressor = new BZ2Compressor(level);
  return Buffer.concat([compressor.compress(data), compressor.flush()]);
}

const engines: Record<string, (data: Buffer, level: number) => Buffer> = {
  BZ2Compressor: compressWhole,
  compressSync: (data, level) => compressSync(data, level),
};

for (const [engine, compress] of Object.entries(engines)) {
  describe(`${engine} output is byte-identical to bzip2 -N`, () => {
    for (const testCase of GOLDEN_CASES) {
      for (const level of testCase.levels) {
        it(`${testCase.name} at level ${level}`, () => {
          const data = input(testCase);
          const before = sha256(data);
          const output = compress(data, level);
          const expected = golden(testCase.name, level);
          assert.equal(output.length, expected.size);
          assert.equal(sha256(output), expected.sha256);
          const file = goldenFile(testCase.name, level);
          if (file) assert.deepEqual(output, file);
          assert.equal(sha256(data), before, 'input was modified');
        });
      }
    }
  });
}

describe("BZ2Compressor output is byte-identical to Python's bz2.compress", function () {
  const jobs = GOLDEN_CASES.flatMap((testCase) =>
    testCase.levels.map((level) => ({ testCase, level })),
  );
  let digests: string[] = [];

  before(function () {
    if (!havePython()) this.skip();
    digests = pythonCompressDigests(
      jobs.map((job) => ({ input: input(job.testCase), level: job.level })),
    );
  });

  it('agrees with the golden files for every case and level', () => {
    jobs.forEach((job, i) => {
      assert.equal(
        digests[i],
        golden(job.testCase.name, job.level).sha256,
        `${job.testCase.name} l${job.level}`,
      );
    });
  });
});

describe("BZ2Compressor output is byte-identical to Python's bz2.compress on real data", function () {
  const files = corpusFiles();
  const jobs = files.flatMap((file) => [1, 9].map((level) => ({ file, level })));
  let digests: string[] = [];

  before(function () {
    if (!havePython() || files.length === 0) this.skip();
    digests = pythonCompressDigests(
      jobs.map((job) => ({ input: readFileSync(job.file), level: job.level })),
    );
  });

  jobs.forEach((job, i) => {
    it(`${basename(job.file)} at level ${job.level}`, () => {
      assert.equal(sha256(compressWhole(readFileSync(job.file), job.level)), digests[i]);
    });
  });
});
