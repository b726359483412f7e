/**
 * The native ParallelCompressor (src/parallel_compressor.cc) on its own: the same bytes as
 * libbzip2's stream whatever the chunking, the call rules of the Compressor, cancellation, and
 * self-defence when called wrongly. Identity on inputs built around block boundaries is in
 * test/parallel.test.ts.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { native } from '../lib/native';
import { defaultThreads } from '../lib/options';
import { runNode } from './helpers/node-process';
import { SANITIZED } from './helpers/host';
import { expectCode, rejectsWith } from './helpers/assert';
import { Prng, text } from './helpers/inputs';
import { ReferenceCompressor } from './helpers/reference';

const { ParallelCompressor } = native;
type AnyFunction = (...args: unknown[]) => unknown;

/** Text with runs of every length up to 600 mixed in: short runs, 4-runs and 255-splits. */
function mixed(length: number, seed: number): Buffer {
  const rng = new Prng(seed);
  const base = text(length, seed);
  for (let at = rng.below(5000); at < length; at += 1000 + rng.below(20000)) {
    base.fill(rng.below(256), at, Math.min(length, at + 1 + rng.below(600)));
  }
  return base;
}

function reference(data: Uint8Array, level: number): Buffer {
  const compressor = new ReferenceCompressor(level);
  return Buffer.concat([compressor.compress(data), compressor.flush()]);
}

/** Cuts `data` into pieces of random sizes up to `most` bytes, empty pieces included. */
function pieces(data: Buffer, most: number, seed: number): Buffer[] {
  const rng = new Prng(seed);
  const out: Buffer[] = [];
  for (let at = 0; at < data.length;) {
    const size = rng.below(8) === 0 ? 0 : 1 + rng.below(most);
    out.push(data.subarray(at, at + size));
    at += size;
  }
  return out;
}

const DATA = mixed(1_300_000, 7); // 13 blocks at level 1
const REFERENCE_L1 = reference(DATA, 1);

describe('native ParallelCompressor', () => {
  it('writes the bytes of libbzip2 for each thread count, chunked any way (sync)', () => {
    for (const threads of [1, 2, 3, 4, 8]) {
      for (const [most, seed] of [
        [DATA.length, 1],
        [300_001, 2],
        [7_919, 3],
      ] as const) {
        const compressor = new ParallelCompressor(1, threads);
        const parts = pieces(DATA, most, seed).map((piece) => compressor.compress(piece));
        parts.push(compressor.flush());
        assert.ok(Buffer.concat(parts).equals(REFERENCE_L1), `threads ${threads}, most ${most}`);
      }
    }
  });

  it('writes the bytes of libbzip2 for each thread count, chunked any way (async)', async () => {
    for (const threads of [1, 2, 4]) {
      const compressor = new ParallelCompressor(1, threads);
      const parts: Buffer[] = [];
      for (const piece of pieces(DATA, 150_000, threads)) {
        parts.push(await compressor.compressAsync(piece));
      }
      parts.push(await compressor.flushAsync());
      assert.ok(Buffer.concat(parts).equals(REFERENCE_L1), `threads ${threads}`);
    }
  });

  it('gives output as blocks finish, not only at flush', async () => {
    const compressor = new ParallelCompressor(1, 2);
    let early = 0;
    for (const piece of pieces(DATA, 100_000, 9)) {
      early += (await compressor.compressAsync(piece)).length;
    }
    const rest = await compressor.flushAsync();
    assert.ok(early > REFERENCE_L1.length / 2, `only ${early} bytes before flush`);
    assert.equal(early + rest.length, REFERENCE_L1.length);
  });

  it('writes the 14-byte empty stream, and one byte as libbzip2 does', () => {
    for (const level of [1, 9]) {
      for (const data of [new Uint8Array(0), Buffer.from('x')]) {
        const compressor = new ParallelCompressor(level, 2);
        const output = Buffer.concat([compressor.compress(data), compressor.flush()]);
        assert.ok(output.equals(reference(data, level)));
      }
    }
    const empty = new ParallelCompressor(9, 3);
    assert.equal(empty.flush().length, 14);
  });

  it('reports the input it may hold to V8, and takes it back at flush', () => {
    const before = native.externalMemory();
    const compressor = new ParallelCompressor(9, 3);
    // 2 blocks per thread that can run (no more than the cores run at once), and the one cut.
    const inFlight = 2 * Math.min(3, defaultThreads());
    assert.equal(native.externalMemory() - before, (inFlight + 1) * 900_000);
    const head = compressor.compress(DATA);
    const tail = compressor.flush();
    // What remains is the returned Buffers' own memory (V8 counts it as external too, with about
    // 100 bytes of bookkeeping each).
    const left = native.externalMemory() - before;
    assert.ok(left <= head.length + tail.length + 1024, `${left} bytes still reported`);
  });

  it('leaves its input unmodified', () => {
    const copy = Buffer.from(DATA);
    const compressor = new ParallelCompressor(1, 3);
    compressor.compress(DATA);
    compressor.flush();
    assert.ok(DATA.equals(copy));
  });

  it('follows the Compressor call rules: busy, flushed, repeated flush', async () => {
    const compressor = new ParallelCompressor(1, 2);
    const pending = compressor.compressAsync(DATA.subarray(0, 500_000));
    expectCode(() => compressor.compress(new Uint8Array(1)), Error, 'ERR_BZ2_BUSY');
    expectCode(() => compressor.flush(), Error, 'ERR_BZ2_BUSY');
    await pending;
    compressor.flush();
    // The codes only: Python's texts for these rules belong to the TS layer.
    expectCode(() => compressor.compress(new Uint8Array(1)), Error, 'ERR_BZ2_FLUSHED');
    expectCode(() => compressor.flush(), Error, 'ERR_BZ2_FLUSHED');
    await rejectsWith(
      Promise.resolve().then(() => compressor.flushAsync()),
      'ERR_BZ2_FLUSHED',
    );
  });

  it('cancel() stops the work: pending and later calls fail with ABORT_ERR', async () => {
    const compressor = new ParallelCompressor(1, 2);
    // More than 2 × threads blocks in one call: it waits for room, then is cancelled.
    const pending = compressor.compressAsync(DATA);
    compressor.cancel();
    await rejectsWith(pending, 'ABORT_ERR');
    expectCode(() => compressor.compress(new Uint8Array(1)), Error, 'ABORT_ERR');
    expectCode(() => compressor.flush(), Error, 'ABORT_ERR');
    compressor.cancel(); // twice is harmless
    const flushed = new ParallelCompressor(1, 2);
    flushed.flush();
    flushed.cancel(); // after flush, nothing to stop
  });

  it('has every method guarded against a wrong receiver', () => {
    const proto = ParallelCompressor.prototype as unknown as Record<string, AnyFunction>;
    for (const name of ['compress', 'flush', 'compressAsync', 'flushAsync', 'cancel']) {
      const method = proto[name];
      assert.equal(typeof method, 'function', name);
      expectCode(() => method?.call({}), TypeError, 'ERR_INVALID_THIS');
      expectCode(() => method?.call(new ReferenceCompressor(1)), TypeError, 'ERR_INVALID_THIS');
    }
    // The getter runs with the receiver Reflect.get gives it.
    expectCode(
      () => Reflect.get(proto, 'threads', new native.Decompressor(false)),
      TypeError,
      'ERR_INVALID_THIS',
    );
    const asCompressor = (ReferenceCompressor.prototype as unknown as Record<string, AnyFunction>)[
      'flush'
    ];
    expectCode(
      () => asCompressor?.call(new ParallelCompressor(1, 1)),
      TypeError,
      'ERR_INVALID_THIS',
    );
    expectCode(
      () => (ParallelCompressor as unknown as AnyFunction)(1, 2),
      TypeError,
      'ERR_CONSTRUCT_CALL_REQUIRED',
    );
  });

  it('checks its arguments', () => {
    const make =
      (...args: unknown[]) =>
      () =>
        new (ParallelCompressor as unknown as new (...a: unknown[]) => unknown)(...args);
    expectCode(make(), TypeError, 'ERR_INVALID_ARG_TYPE');
    expectCode(make(9), TypeError, 'ERR_INVALID_ARG_TYPE');
    expectCode(make('9', 2), TypeError, 'ERR_INVALID_ARG_TYPE');
    expectCode(make(9, '2'), TypeError, 'ERR_INVALID_ARG_TYPE');
    for (const [level, threads] of [
      [0, 2],
      [10, 2],
      [1.5, 2],
      [9, 0],
      [9, 1025],
      [9, 2.5],
      [9, NaN],
      [9, Infinity],
    ]) {
      expectCode(make(level, threads), RangeError, 'ERR_OUT_OF_RANGE');
    }
    const compressor = new ParallelCompressor(1, 2);
    for (const bad of [undefined, null, 'text', 5, {}, [1, 2], new ArrayBuffer(4)]) {
      expectCode(
        () => (compressor.compress as AnyFunction)(bad),
        TypeError,
        'ERR_INVALID_ARG_TYPE',
      );
      expectCode(
        () => (compressor.compressAsync as AnyFunction)(bad),
        TypeError,
        'ERR_INVALID_ARG_TYPE',
      );
    }
    // Still usable after the refusals.
    const output = Buffer.concat([compressor.compress(DATA), compressor.flush()]);
    assert.ok(output.equals(REFERENCE_L1));
  });

  it('uses at most 64 threads, whatever it is asked for', () => {
    // In a child: the pool is process-wide and never shrinks.
    const root = JSON.stringify(join(__dirname, '..'));
    const child = runNode(
      `const n = require('node-gyp-build')(${root});
       const c = new n.ParallelCompressor(1, 1000);
       const data = Buffer.alloc(2e6, 'abc');
       const out = Buffer.concat([c.compress(data), c.flush()]);
       const r = new n.Compressor(1);
       const ref = Buffer.concat([r.compress(data), r.flush()]);
       console.log(c.threads, new n.ParallelCompressor(1, 3).threads, out.equals(ref));`,
    );
    assert.equal(child.stderr, '');
    assert.equal(child.stdout.trim(), '64 3 true');
  });

  it('runs at most one block per core at once, and holds one encoder per core, whatever threads is', function () {
    const cores = defaultThreads(); // the cores, also where os.availableParallelism is missing
    const threads = Math.min(64, Math.max(8, 4 * cores));
    // More cores than the pool could ever tell apart; or a sanitizer's shadow memory in the RSS.
    if (threads < 2 * cores || SANITIZED) this.skip();
    // In a child: the pool is process-wide, and its encoders (7.6 MB each at level 9) stay
    // allocated for 2 s after the last block, which the RSS then shows.
    const root = JSON.stringify(join(__dirname, '..'));
    const child = runNode(
      `const n = require('node-gyp-build')(${root});
       let x = 1;
       const data = Buffer.alloc(${2 * threads} * 900000, 0).map(() => (x = (x * 1103515245 + 12345) >>> 0) >>> 27);
       const before = process.memoryUsage().rss;
       const c = new n.ParallelCompressor(9, ${threads});
       const out = Buffer.concat([c.compress(data), c.flush()]);
       console.log(c.threads, (process.memoryUsage().rss - before - out.length) / 1e6);`,
    );
    assert.equal(child.stderr, '');
    const [reported, grewMb] = child.stdout.trim().split(' ').map(Number);
    assert.equal(reported, threads);
    const encoderMb = 7.6;
    // Uncapped, every thread would hold an encoder: threads x 7.6 MB.
    assert.ok(
      (grewMb ?? Infinity) < cores * encoderMb + 24,
      `RSS grew ${grewMb} MB with ${threads} threads on ${cores} cores`,
    );
  });

  it('refuses output past the largest Buffer with ERR_BUFFER_TOO_LARGE, and stays failed', async () => {
    // In a worker: the limit is per environment, and this one sets it absurdly low.
    const source = `
      const { parentPort } = require('node:worker_threads');
      const native = require('node-gyp-build')(${JSON.stringify(join(__dirname, '..'))});
      native.setMaxBufferLength(1000);
      const codes = [];
      const data = require('node:crypto').randomBytes(300000);
      const c = new native.ParallelCompressor(1, 2);
      try { c.compress(data); } catch (e) { codes.push(e.code); }
      try { c.flush(); } catch (e) { codes.push(e.code); }
      const a = new native.ParallelCompressor(1, 2);
      a.compressAsync(data)
        .then(() => a.flushAsync())
        .catch((e) => codes.push(e.code))
        .then(() => parentPort.postMessage(codes));
    `;
    const worker = new Worker(source, { eval: true });
    const codes = await new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    assert.deepEqual(codes, [
      'ERR_BUFFER_TOO_LARGE',
      'ERR_BUFFER_TOO_LARGE',
      'ERR_BUFFER_TOO_LARGE',
    ]);
  });

  it('survives workers terminated with blocks in flight, over and over', async () => {
    const source = `
      const { parentPort } = require('node:worker_threads');
      const native = require('node-gyp-build')(${JSON.stringify(join(__dirname, '..'))});
      const data = Buffer.alloc(1e6);
      for (let i = 0; i < data.length; i++) data[i] = (i * 2654435761) >>> 27;
      for (let k = 0; k < 3; k++) {
        const c = new native.ParallelCompressor(1, 3);
        c.compressAsync(data).then(() => c.flushAsync());
      }
      const s = new native.ParallelCompressor(1, 2);
      parentPort.postMessage('started');
      s.compress(data);
    `;
    for (let round = 0; round < 6; round++) {
      const worker = new Worker(source, { eval: true });
      await new Promise((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      });
      await new Promise((resolve) => setTimeout(resolve, round * 7));
      await worker.terminate();
    }
    // The pool still works for everyone else.
    const compressor = new ParallelCompressor(1, 4);
    assert.ok(Buffer.concat([compressor.compress(DATA), compressor.flush()]).equals(REFERENCE_L1));
  });
});
