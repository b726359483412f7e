/**
 * Our own crafted bad-input corpus (test/fixtures/bad, from scripts/make-bad-corpus.py): one
 * file per known failure class of bzip2 decoders. Every front door, fed every way, must give
 * the verdict CPython's bz2 gave at generation time (manifest.json): the same bytes, or the
 * error CPython's exception stands for.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BZ2Decompressor, createDecompressStream, decompress, decompressSync } from '../lib/index';
import { sha256 } from './helpers/golden';
import { havePython, NO_PYTHON } from './helpers/python';
import { collect } from './helpers/streams';

const dir = join(__dirname, 'fixtures', 'bad');

type Output = { length: number; sha256: string } | { error: string; message: string };
type Single =
  | { length: number; sha256: string; eof: boolean; unused: number }
  | { error: string; message: string };
type Bytewise =
  | { error: string; at: number; before: number }
  | { eof_at: number; length: number }
  | { length: number; eof: false };

interface Entry {
  readonly file: string;
  readonly what: string;
  readonly size: number;
  readonly sha256: string;
  readonly decompress: Output;
  readonly single: Single;
  readonly bytewise: Bytewise;
}

const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as {
  python: string;
  libbzip2: string;
  files: Entry[];
};

// Above the bomb's 45.9 MB, so that no door stops at its limit instead of giving the verdict.
const LIMIT = 64 * 1024 * 1024;

/** Our error for CPython's exception, as the conformance suite maps them. */
function expectedError(error: string, message: string): { code: string; message: string } {
  // bz2.decompress raises ValueError for a truncated stream; its message is ours.
  if (error === 'ValueError' || error === 'EOFError') return { code: 'ERR_BZ2_TRUNCATED', message };
  assert.equal(error, 'OSError', `no code of ours for CPython's ${error}`);
  return { code: 'ERR_BZ2_DATA', message };
}

function chunks(data: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0; at < data.length; at += size) out.push(data.subarray(at, at + size));
  return out;
}

function assertOutput(output: Buffer, expected: { length: number; sha256: string }): void {
  assert.equal(output.length, expected.length);
  assert.equal(sha256(output), expected.sha256);
}

/** A one-shot door (sync or not) must give bz2.decompress's bytes or its error. */
async function checkOneShot(run: () => Buffer | Promise<Buffer>, expected: Output): Promise<void> {
  const settled = (): Promise<Buffer> => {
    try {
      return Promise.resolve(run());
    } catch (error) {
      return Promise.reject(error);
    }
  };
  if ('error' in expected) {
    await assert.rejects(settled, expectedError(expected.error, expected.message));
  } else {
    assertOutput(await settled(), expected);
  }
}

/**
 * A BZ2Decompressor fed `parts` (each call with `maxLength`, then drained with empty input
 * while it holds output back) must give one BZ2Decompressor's verdict on the whole input:
 * the same bytes, eof and unused data, or the same error at some call.
 */
async function checkSingle(
  parts: readonly Buffer[],
  expected: Single,
  options: { maxLength?: number; async?: boolean } = {},
): Promise<void> {
  const decompressor = new BZ2Decompressor();
  const call = (data: Buffer): Promise<Buffer> | Buffer =>
    options.async
      ? decompressor.decompressAsync(data, options.maxLength)
      : decompressor.decompress(data, options.maxLength);
  const run = async (): Promise<Buffer> => {
    const out: Buffer[] = [];
    for (const part of parts) {
      if (decompressor.eof) break;
      out.push(await call(part));
      while (options.maxLength !== undefined && !decompressor.needsInput && !decompressor.eof) {
        const chunk = await call(Buffer.alloc(0));
        assert.ok(chunk.length <= options.maxLength);
        out.push(chunk);
      }
    }
    return Buffer.concat(out);
  };
  if ('error' in expected) {
    await assert.rejects(run, expectedError(expected.error, expected.message));
  } else {
    assertOutput(await run(), expected);
    assert.equal(decompressor.eof, expected.eof);
    assert.equal(decompressor.unusedData.length, expected.unused);
  }
}

/** Byte by byte, the error (or the end) must come at the byte it came for CPython. */
function checkBytewise(data: Buffer, expected: Bytewise): void {
  const decompressor = new BZ2Decompressor();
  let got = 0;
  for (let i = 0; i < data.length; i++) {
    try {
      got += decompressor.decompress(data.subarray(i, i + 1)).length;
    } catch (error) {
      assert.ok('error' in expected, `threw at byte ${i + 1}: ${String(error)}`);
      assert.deepEqual({ at: i + 1, before: got }, { at: expected.at, before: expected.before });
      assert.equal((error as { code?: unknown }).code, 'ERR_BZ2_DATA');
      return;
    }
    if (decompressor.eof) {
      assert.deepEqual({ eof_at: i + 1, length: got }, expected);
      return;
    }
  }
  assert.deepEqual({ length: got, eof: false }, expected);
}

describe('bad corpus: the files are the ones the manifest describes', () => {
  it(`${manifest.files.length} files, recorded with Python ${manifest.python} and libbzip2 ${manifest.libbzip2}`, () => {
    assert.ok(manifest.files.length >= 30);
    for (const entry of manifest.files) {
      const data = readFileSync(join(dir, entry.file));
      assert.equal(data.length, entry.size, entry.file);
      assert.equal(sha256(data), entry.sha256, entry.file);
    }
  });

  if (!havePython()) {
    it.skip(NO_PYTHON);
  } else {
    it('CPython still gives every recorded verdict (live)', () => {
      // The generator's own verdict(), so the live check measures exactly what was recorded.
      const script = `
import importlib.util, json, sys
spec = importlib.util.spec_from_file_location('gen', sys.argv[1])
gen = importlib.util.module_from_spec(spec); spec.loader.exec_module(gen)
out = {}
for name in json.load(sys.stdin):
    with open(sys.argv[2] + '/' + name, 'rb') as f:
        out[name] = gen.verdict(f.read())
json.dump(out, sys.stdout)
`;
      const run = spawnSync(
        'python3',
        ['-c', script, join(__dirname, '..', 'scripts', 'make-bad-corpus.py'), dir],
        { input: JSON.stringify(manifest.files.map((entry) => entry.file)), encoding: 'utf8' },
      );
      assert.equal(run.status, 0, run.stderr);
      const live = JSON.parse(run.stdout) as Record<string, unknown>;
      for (const { file, decompress: whole, single, bytewise } of manifest.files)
        assert.deepEqual(live[file], { decompress: whole, single, bytewise }, file);
    });
  }
});

for (const entry of manifest.files) {
  const verdict =
    'error' in entry.decompress
      ? `${entry.decompress.error} ${entry.decompress.message}`
      : `${entry.decompress.length} bytes`;
  describe(`bad corpus: ${entry.file} (${entry.what}) → ${verdict}`, () => {
    const data = readFileSync(join(dir, entry.file));
    const options = { maxOutputLength: LIMIT };
    const big = 'length' in entry.decompress && entry.decompress.length > 1_000_000;
    // Small steps for small outputs; for the big ones steps that still take a few dozen calls.
    const maxLength = big ? 1 << 20 : 64;

    it('decompressSync', () => checkOneShot(() => decompressSync(data, options), entry.decompress));
    it('decompress', () => checkOneShot(() => decompress(data, options), entry.decompress));
    // For the big outputs the 1-byte stream and the 5-byte maxLength loop stand for the
    // 7-byte feeds, which would add ~0.4 s and nothing else (see the suite's timing).
    const sizes = big ? [data.length, 1] : [data.length, 1, 7];
    for (const size of sizes) {
      it(`createDecompressStream in ${size === data.length ? 'one chunk' : `${size}-byte chunks`}`, () =>
        checkOneShot(
          () => collect(chunks(data, size), createDecompressStream(options)),
          entry.decompress,
        ));
    }
    it('BZ2Decompressor.decompress, whole', () => checkSingle([data], entry.single));
    if (!big)
      it('BZ2Decompressor.decompress, 7-byte chunks', () =>
        checkSingle(chunks(data, 7), entry.single));
    it(`BZ2Decompressor.decompress, 5-byte chunks, maxLength ${maxLength}`, () =>
      checkSingle(chunks(data, 5), entry.single, { maxLength }));
    it("BZ2Decompressor.decompress, byte by byte: the error or the end at CPython's byte", () =>
      checkBytewise(data, entry.bytewise));
    it('BZ2Decompressor.decompressAsync, whole', () =>
      checkSingle([data], entry.single, { async: true }));
    it(`BZ2Decompressor.decompressAsync, 7-byte chunks, maxLength ${maxLength}`, () =>
      checkSingle(chunks(data, 7), entry.single, { async: true, maxLength }));
  });
}
