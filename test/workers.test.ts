/** API.md section 6: the addon is context-aware and loads and works in several worker_threads. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { BZ2Compressor, compress, compressSync } from '../lib/index';
import { golden, sha256 } from './helpers/golden';
import { LIB as lib, runNode } from './helpers/node-process';
import { firstMessage, startWorker, workerResult as result } from './helpers/worker';

const inputs = join(__dirname, 'helpers', 'inputs.ts');

function runWorker(source: string, workerData: unknown): ReturnType<typeof startWorker> {
  return startWorker(source, workerData, { tsx: true });
}

describe('worker_threads', () => {
  it('loads and compresses correctly in 4 workers at once', async () => {
    const source = `
      const { parentPort, workerData } = require('node:worker_threads');
      const { createHash } = require('node:crypto');
      const { BZ2Compressor } = require(workerData.lib);
      const { Prng } = require(workerData.inputs);
      // random-300000 (3 blocks at level 1): enough to prove each worker's addon compresses
      // right, at an eighth of the cost of the 2.5 MB text this test once used.
      const data = new Prng(7).bytes(300000);
      const c = new BZ2Compressor(workerData.level);
      const out = Buffer.concat([c.compress(data), c.flush()]);
      parentPort.postMessage(createHash('sha256').update(out).digest('hex'));
    `;
    const levels = [1, 4, 6, 9];
    const digests = await Promise.all(
      levels.map((level) => result(runWorker(source, { lib, inputs, level }))),
    );
    levels.forEach((level, i) => assert.equal(digests[i], golden('random-300000', level).sha256));
  });

  it('survives workers terminated in the middle of asynchronous work, over and over', async () => {
    const source = `
      const { parentPort, workerData } = require('node:worker_threads');
      const lib = require(workerData.lib);
      const data = require('node:crypto').randomBytes(400000);
      const packed = lib.compressSync(data, 1);
      parentPort.postMessage('started');
      (async () => {
        for (;;) {
          const c = new lib.BZ2Compressor(9);
          const d = new lib.BZ2Decompressor();
          await Promise.all([
            lib.compress(data, 9),
            lib.decompress(packed),
            c.compressAsync(data),
            c.flushAsync(),
            d.decompressAsync(packed, 1000),
          ]);
        }
      })();
    `;
    for (let i = 0; i < 12; i++) {
      const worker = runWorker(source, { lib });
      await firstMessage(worker);
      await new Promise((resolve) => setTimeout(resolve, 5 + 15 * (i % 4)));
      await worker.terminate();
    }
    assert.equal(sha256(await compress('alive', 9)), sha256(compressSync('alive', 9)));
  });

  it('loads in 8 workers at once', async () => {
    const source = `
      const { parentPort, workerData } = require('node:worker_threads');
      const lib = require(workerData.lib);
      lib.compress('worker ' + workerData.i).then((out) => parentPort.postMessage(lib.decompressSync(out).toString()));
    `;
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => result(runWorker(source, { lib, i }))),
    );
    results.forEach((text, i) => assert.equal(text, `worker ${i}`));
  });

  it('a process that exits with asynchronous work pending exits cleanly', () => {
    for (const exit of ['process.exit(0)', 'setTimeout(() => process.exit(0), 15)', '']) {
      const script = `
        require('tsx/cjs');
        const lib = require(${JSON.stringify(lib)});
        const data = require('node:crypto').randomBytes(2_000_000);
        for (let i = 0; i < 4; i++) lib.compress(data, 9);
        lib.decompress(lib.compressSync(data, 1));
        const c = new lib.BZ2Compressor(); c.compressAsync(data); c.flushAsync();
        ${exit}
      `;
      // Memory still owned by pending work is left to the OS at exit, by design: under
      // scripts/sanitize.sh, LeakSanitizer must not count it.
      const asan = process.env['ASAN_OPTIONS'];
      const env = asan ? { ...process.env, ASAN_OPTIONS: `${asan}:detect_leaks=0` } : process.env;
      const run = runNode(script, { env });
      assert.equal(run.status, 0, `${exit || 'natural exit'}: ${run.stderr}`);
    }
  });

  it('survives workers terminated while compressing, over and over', async () => {
    const source = `
      const { parentPort, workerData } = require('node:worker_threads');
      const { BZ2Compressor } = require(workerData.lib);
      const data = require('node:crypto').randomBytes(300000);
      parentPort.postMessage('started');
      for (;;) {
        const c = new BZ2Compressor(9);
        c.compress(data);
        if (Math.random() < 0.5) c.flush(); // leave some unflushed for teardown to free
      }
    `;
    for (let i = 0; i < 8; i++) {
      const worker = runWorker(source, { lib });
      await firstMessage(worker);
      await new Promise((resolve) => setTimeout(resolve, 20 + 10 * i));
      await worker.terminate();
    }
    // Still alive and working in this thread.
    assert.equal(sha256(new BZ2Compressor(9).flush()), golden('empty', 9).sha256);
  });
});
