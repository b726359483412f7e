/**
 * The shared conformance corpus (../shared/conformance): good and bad .bz2 files from the test
 * suites of lbzip2, commons-compress, Go and bzip2, each with CPython's verdict. We must agree.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BZ2Decompressor, decompressSync } from '../lib/index';
import { CONFORMANCE_DIR as dir, conformanceRows, missingShared } from './helpers/corpus';
import { sha256 } from './helpers/golden';

interface Entry {
  readonly path: string;
  readonly python: string; // `OK n bytes sha256=…` or `ERROR invalid data (OSError)` / `ERROR truncated (ValueError)`
  readonly single: string; // `out=n eof=True unused=n` or `OSError`
}

function manifest(): Entry[] {
  return conformanceRows()
    .filter((cols) => (cols[4] ?? '').startsWith('OK') || (cols[4] ?? '').startsWith('ERROR'))
    .map((cols) => ({ path: cols[0] ?? '', python: cols[4] ?? '', single: cols[5] ?? '' }));
}

describe('conformance corpus: decompressSync agrees with bz2.decompress', function () {
  const entries = manifest();
  if (entries.length === 0) it.skip(missingShared('conformance'));

  for (const entry of entries) {
    it(`${entry.path}: ${entry.python.replace(/ sha256=.*/, '')}`, () => {
      const data = readFileSync(join(dir, entry.path));
      const ok = /^OK (\d+) bytes sha256=([0-9a-f]+)/.exec(entry.python);
      if (ok) {
        const output = decompressSync(data);
        assert.equal(output.length, Number(ok[1]));
        assert.equal(sha256(output), ok[2]);
      } else {
        const code = entry.python.includes('truncated') ? 'ERR_BZ2_TRUNCATED' : 'ERR_BZ2_DATA';
        assert.throws(() => decompressSync(data), { code });
      }
    });
  }
});

describe('conformance corpus: BZ2Decompressor agrees with a single-stream bz2.BZ2Decompressor', function () {
  const entries = manifest();
  if (entries.length === 0) it.skip(missingShared('conformance'));

  for (const entry of entries) {
    it(`${entry.path}: ${entry.single}`, () => {
      const data = readFileSync(join(dir, entry.path));
      const decompressor = new BZ2Decompressor();
      const state = /^out=(\d+) eof=(True|False) unused=(\d+)/.exec(entry.single);
      if (state) {
        const output = decompressor.decompress(data);
        assert.equal(output.length, Number(state[1]));
        assert.equal(decompressor.eof, state[2] === 'True');
        assert.equal(decompressor.unusedData.length, Number(state[3]));
      } else {
        assert.equal(entry.single, 'OSError');
        assert.throws(() => decompressor.decompress(data), { code: 'ERR_BZ2_DATA' });
      }
    });
  }
});
