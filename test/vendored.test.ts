import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const deps = join(__dirname, '..', 'deps');
const vendored = join(deps, 'bzip2-1.0.8');

describe('vendored libbzip2 1.0.8', () => {
  const listed = readFileSync(join(deps, 'bzip2-1.0.8.sha256'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => {
      const [hash, name] = line.split(/\s+/);
      return { hash: hash ?? '', name: name ?? '' };
    });

  it('lists the library sources, headers, licence and samples', () => {
    const names = listed.map((entry) => entry.name).sort();
    for (const required of ['blocksort.c', 'bzlib.c', 'bzlib.h', 'bzlib_private.h', 'LICENSE']) {
      assert.ok(names.includes(required), required);
    }
    assert.equal(names.length, 16);
  });

  it('holds exactly the listed files', () => {
    assert.deepEqual(readdirSync(vendored).sort(), listed.map((entry) => entry.name).sort());
  });

  for (const { hash, name } of listed) {
    it(`${name} is unmodified`, () => {
      const actual = createHash('sha256')
        .update(readFileSync(join(vendored, name)))
        .digest('hex');
      assert.equal(actual, hash);
    });
  }
});
