/**
 * API.md section 1: a compressor's native memory (about 8 x 100 kB x level) is reported to V8, so
 * that garbage collection reclaims dropped compressors promptly, and released at flush(). With
 * one thread that is the encoder the synchronous calls compress with on the calling thread, made
 * at the first block; the pool's encoders are shared and reported by no one.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { BZ2Compressor } from '../lib/index';
import { native } from '../lib/native';
import { defaultThreads } from '../lib/options';
import { Prng } from './helpers/inputs';
import { RSS_IS_OURS } from './helpers/host';
import { settle } from './helpers/memory';
import { LIB, runNode } from './helpers/node-process';

const NATIVE = join(__dirname, '..', 'lib', 'native.ts');

/**
 * A block encoder's big arrays (BlockEncoder, sized as libbzip2's compressor): arr1, arr2 (+34
 * words) and ftab, as in bzlib.c.
 */
function libbzip2Bytes(level: number): number {
  const n = 100000 * level;
  return n * 4 + (n + 34) * 4 + 65537 * 4;
}

/**
 * The bound reported for the input a compressor's pipeline may hold: 2 × min(threads, cores) + 1
 * blocks (no more than the cores run at once, so more threads queue no more).
 */
function inputBound(level: number, threads: number): number {
  return (2 * Math.min(threads, defaultThreads()) + 1) * 100000 * level;
}

/** Random bytes that make one whole block at `level`, and the start of the next. */
function overOneBlock(level: number): Buffer {
  return new Prng(level).bytes(100000 * level + 10000);
}

/**
 * Asserts that `reported` is `bytes` of output Buffers (V8 counts Buffers as external memory)
 * and nothing more, give or take napi's bookkeeping of a large Buffer (about 100 bytes each).
 */
function onlyOutputs(reported: number, bytes: number): void {
  assert.ok(reported >= bytes && reported < bytes + 1000, `${reported} for ${bytes} of output`);
}

describe('compressor memory', () => {
  for (const level of [1, 5, 9]) {
    it(`level ${level}, one thread: reports the calling thread's encoder once it compresses a block, releases all at flush`, async () => {
      const data = overOneBlock(level);
      await settle(); // so that no collection of earlier garbage lands inside the measurement
      const before = native.externalMemory();
      const compressor = new BZ2Compressor(level);
      // Nothing compressed yet: only the bound on the input held.
      assert.equal(native.externalMemory() - before, inputBound(level, 1));
      const first = compressor.compress(data);
      assert.ok(first.length > 0, 'a block was compressed');
      // The encoder's arrays plus its EState (about 55 kB), beside the bound and the output
      // Buffer (V8 counts Buffers as external memory).
      const encoder = native.externalMemory() - before - first.length - inputBound(level, 1);
      assert.ok(
        encoder >= libbzip2Bytes(level) && encoder < libbzip2Bytes(level) + 100000,
        `${encoder}`,
      );
      const rest = compressor.flush();
      // What remains is only the output Buffers themselves.
      onlyOutputs(native.externalMemory() - before, first.length + rest.length);
    });
  }

  for (const threads of [2, 4]) {
    it(`${threads} threads: reports the input bound and releases it at flush`, async () => {
      const data = overOneBlock(1);
      await settle();
      const before = native.externalMemory();
      const compressor = new BZ2Compressor(1, { threads });
      assert.equal(native.externalMemory() - before, inputBound(1, threads));
      const first = compressor.compress(data);
      // The pool's encoders are shared, not this compressor's: nothing is added for them.
      onlyOutputs(native.externalMemory() - before - inputBound(1, threads), first.length);
      const rest = compressor.flush();
      onlyOutputs(native.externalMemory() - before, first.length + rest.length);
    });
  }

  it('flushAsync releases the memory too, after synchronous calls made the encoder', async () => {
    const data = overOneBlock(1);
    await settle();
    const before = native.externalMemory();
    const compressor = new BZ2Compressor(1);
    const first = compressor.compress(data);
    assert.ok(native.externalMemory() - before - first.length > libbzip2Bytes(1));
    const second = await compressor.compressAsync(data);
    const rest = await compressor.flushAsync();
    onlyOutputs(native.externalMemory() - before, first.length + second.length + rest.length);
  });

  it('dropped, unflushed compressors give their memory back when collected', async () => {
    const data = overOneBlock(1);
    await settle();
    const before = native.externalMemory();
    // Held while made (a GC meanwhile must not take them yet), by a function whose locals end
    // with it: an async function keeps its locals across an await. Each has compressed a block
    // on this thread, so each holds an encoder.
    const made = (): BZ2Compressor[] =>
      Array.from({ length: 20 }, () => {
        const compressor = new BZ2Compressor(1);
        compressor.compress(data);
        return compressor;
      });
    assert.ok(made().length === 20 && native.externalMemory() - before >= 20 * libbzip2Bytes(1));
    await settle();
    assert.ok(
      native.externalMemory() - before < libbzip2Bytes(1),
      'memory still reported after GC',
    );
  });

  // Was: the blocks in flight held their raw input, up to 46 MB a block for runs of one byte:
  // 100 MB of zeros took 96-140 MB at two threads, against 8-10 MB for ordinary data.
  it('long runs: a block in flight holds its entries after the first run-length stage, not its input', function () {
    if (!RSS_IS_OURS || process.platform !== 'linux') {
      this.skip(); // peak RSS from /proc, and only where the process's RSS is the addon's
    }
    // In a fresh process, peak RSS (VmHWM) reset after a warm-up: 200 MB of zeros fed 1 MB at a
    // time (the same Buffer each time), each output dropped, through the sync and async calls at
    // two threads: 2 × 2 + 1 blocks of 900 kB held at most, besides two encoders' 7.6 MB each.
    const run = runNode(
      `require('tsx/cjs');
       const { readFileSync, writeFileSync } = require('node:fs');
       const { BZ2Compressor } = require(${JSON.stringify(LIB)});
       const hwm = () => Number(/^VmHWM:\\s+(\\d+)/m.exec(readFileSync('/proc/self/status', 'utf8'))[1]) * 1024;
       const rss = () => Number(/^VmRSS:\\s+(\\d+)/m.exec(readFileSync('/proc/self/status', 'utf8'))[1]) * 1024;
       const zeros = Buffer.alloc(1_000_000, 0);
       (async () => {
         const peaks = [];
         for (const mode of ['sync', 'async']) {
           const c = new BZ2Compressor(9, { threads: 2 });
           for (let i = 0; i < 5; i++) mode === 'sync' ? c.compress(zeros) : await c.compressAsync(zeros);
           for (let i = 0; i < 3; i++) { gc(); await new Promise((r) => setImmediate(r)); }
           writeFileSync('/proc/self/clear_refs', '5');
           const base = rss();
           let out = 0;
           for (let i = 0; i < 200; i++) out += (mode === 'sync' ? c.compress(zeros) : await c.compressAsync(zeros)).length;
           out += (mode === 'sync' ? c.flush() : await c.flushAsync()).length;
           peaks.push([mode, hwm() - base, out]);
         }
         process.stdout.write(JSON.stringify(peaks));
       })();`,
      { exposeGc: true, timeoutSeconds: 120 },
    );
    assert.equal(run.status, 0, run.stderr);
    for (const [mode, peak, out] of JSON.parse(run.stdout) as [string, number, number][]) {
      assert.ok(out > 0 && out < 10_000, `${mode}: ${out} bytes out`);
      assert.ok(peak < 30e6, `${mode}: peak ${(peak / 1e6).toFixed(1)} MB above the baseline`);
    }
  });

  it('V8 collects dropped compressors on its own under the reported pressure', function () {
    // In a fresh process: V8's heuristics depend on the heap they run in, and the suite's own
    // (every input and output it keeps for later tests) delayed collection past the bound.
    // Each reports its input bound (2.7 MB) until it compresses a block: 810 MB if nothing were
    // collected.
    const count = 300;
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
      peak < count * inputBound(9, 1) * 0.75,
      `peak ${peak} bytes: compressors were not collected`,
    );
  });
});
