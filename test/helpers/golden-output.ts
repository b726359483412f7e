/**
 * Our compressSync output (2 threads: the pipeline) for a golden case, made once per process and
 * only returned once it equals the `bzip2 -N` golden digest: suites that need a golden case's
 * compressed bytes (to decompress them) share it instead of compressing every case again.
 */
import assert from 'node:assert/strict';
import { compressSync } from '../../lib/index';
import { caseInput } from './cases';
import { golden, sha256 } from './golden';

const outputs = new Map<string, Buffer>();

/** The `bzip2 -level` bytes of golden case `name`, as compressSync makes them at 2 threads. */
export function goldenOutput(name: string, level: number): Buffer {
  const key = `${name}/${level}`;
  let output = outputs.get(key);
  if (!output) {
    output = compressSync(caseInput(name), { level, threads: 2 });
    const expected = golden(name, level);
    assert.equal(output.length, expected.size, `${key}: size`);
    assert.equal(sha256(output), expected.sha256, `${key}: not bzip2 -${level}'s bytes`);
    outputs.set(key, output);
  }
  return output;
}
