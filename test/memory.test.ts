/**
 * API.md section 1: a compressor's native memory (about 8 x 100 kB x level) is reported to V8, so
 * that garbage collection reclaims dropped compressors promptly, and released at flush().
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { BZ2Compressor } from '../lib/index';
import { native } from '../lib/native';
import { settle } from './helpers/memory';
import { LIB, runNode } from './helpers/node-process';

const NATIVE = join(__dirname, '..', 'lib', 'native.ts');

/** libbzip2's big arrays for a compressor: arr1, arr2 (+34 words) and ftab, as in bzlib.c. */
function libbzip2Bytes(level: number): number {
  const n = 100000 * level;
  return n * 4 + (n + 34) * 4 + 65537 * 4;
}

describe('compressor memory', () => {
  for (const level of [1, 5, 9]) {
    it(`level ${level}: reports libbzip2's memory at construction and releases it at flush`, async () => {
      await settle(); // so that no collection of earlier garbage lands inside the measurement
      const before = native.externalMemory();
      const compressor = new BZ2Compressor(level);
      const reported = native.externalMemory() - before;
      // The arrays plus the EState struct (about 55 kB).
      assert.ok(
        reported >= libbzip2Bytes(level) && reported < libbzip2Bytes(level) + 100000,
        `${reported}`,
      );
      const output = compressor.flush();
      // What remains is only the output Buffer itself (V8 counts Buffers as external memory).
      assert.equal(native.externalMemory() - before, output.length);
    });
  }

  it('dropped, unflushed compressors give their memory back when collected', async () => {
    await settle();
    const before = native.externalMemory();
    // Held while made (a GC meanwhile must not take them yet), by a function whose locals end
    // with it: an async function keeps its locals across an await.
    const made = (): BZ2Compressor[] =>
      Array.from({ length: 20 }, () => {
        const compressor = new BZ2Compressor(9);
        compressor.compress('some data');
        return compressor;
      });
    assert.ok(made().length === 20 && native.externalMemory() - before >= 20 * libbzip2Bytes(9));
    await settle();
    assert.ok(
      native.externalMemory() - before < libbzip2Bytes(9),
      'memory still reported after GC',
    );
  });

  it('V8 collects dropped compressors on its own under the reported pressure', function () {
    // In a fresh process: V8's heuristics depend on the heap they run in, and the suite's own
    // (every input and output it keeps for later tests) delayed collection past the bound.
    const count = 300; // 2.2 GB if nothing were collected
    const run = runNode(
      `require('tsx/cjs');
       const { BZ2Compressor } = require(${JSON.stringify(LIB)});
       const { native } = require(${JSON.stringify(NATIVE)});
       const tick = () => new Promise((resolve) => setImmediate(resolve));
       (async () => {
         for (let i = 0; i < 3; i++) { gc(); await tick(); }
         const before = native.externalMemory();
         let peak = 0;
         for (let i = 0; i < ${count}; i++) {
           new BZ2Compressor(9).compress('x');
           if (i % 10 === 0) await tick(); // a server yields to the event loop between requests
           peak = Math.max(peak, native.externalMemory() - before);
         }
         process.stdout.write(String(peak));
       })();`,
      { exposeGc: true, timeoutSeconds: 120 },
    );
    assert.equal(run.status, 0, run.stderr);
    const peak = Number(run.stdout);
    // V8's heuristics decide when: standalone the peak is about a quarter.
    assert.ok(
      peak < count * libbzip2Bytes(9) * 0.75,
      `peak ${peak} bytes: compressors were not collected`,
    );
  });
});
