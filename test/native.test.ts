/**
 * The native binding defends itself: every wrong call throws a coded JS error instead of crashing,
 * even when the TypeScript layer is bypassed.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { native } from '../lib/native';
import { expectCode, rejectsWith } from './helpers/assert';
import { ReferenceCompressor } from './helpers/reference';
import { firstMessage, startWorker } from './helpers/worker';

const Compressor = ReferenceCompressor;
type AnyFunction = (...args: unknown[]) => unknown;
const proto = Compressor.prototype as unknown as Record<'compress' | 'flush', AnyFunction>;

describe('native Compressor', () => {
  it('has every method the TypeScript layer declares, each guarded', () => {
    const compressor = ['compress', 'flush', 'compressAsync', 'flushAsync', 'cancel'];
    const decompressor = ['decompress', 'decompressAsync', 'close'];
    const dproto = native.Decompressor.prototype as unknown as Record<string, AnyFunction>;
    for (const [target, names] of [
      [proto, compressor],
      [dproto, decompressor],
    ] as const) {
      for (const name of names) {
        const method = (target as Record<string, AnyFunction | undefined>)[name];
        assert.equal(typeof method, 'function', name);
        expectCode(() => method?.call({}), TypeError, 'ERR_INVALID_THIS');
      }
    }
    // A Compressor is not a Decompressor, and the other way round.
    expectCode(
      () => dproto['decompress']?.call(new Compressor(1), new Uint8Array(1), -1),
      TypeError,
      'ERR_INVALID_THIS',
    );
    expectCode(
      () => proto.flush.call(new native.Decompressor(false)),
      TypeError,
      'ERR_INVALID_THIS',
    );
  });

  it('cancel() drops a pending step and fails later calls with ABORT_ERR, as the parallel one', async () => {
    // libbzip2 holds about 7.6 MB for a level-9 compressor. V8's external-memory figure is
    // process-wide and a GC only lowers it, so a release shows as a drop of at least that much.
    const LEVEL_9 = 7_000_000;
    const input = Buffer.alloc(2_000_000);
    for (let i = 0; i < input.length; i++) input[i] = (i * 7919) % 251;
    const compressor = new Compressor(9);
    const pending = compressor.compressAsync(input); // a few blocks: still running below
    compressor.cancel();
    compressor.cancel(); // twice is harmless
    global.gc?.();
    const running = native.externalMemory();
    await rejectsWith(pending, 'ABORT_ERR');
    // Its stream went once the step that used it ended.
    assert.ok(running - native.externalMemory() >= LEVEL_9, 'memory released after the step');
    expectCode(() => compressor.compress(new Uint8Array(1)), Error, 'ABORT_ERR');
    expectCode(() => compressor.flush(), Error, 'ABORT_ERR');
    // Idle: the memory goes at once.
    const idle = new Compressor(9);
    const held = native.externalMemory();
    idle.cancel();
    assert.ok(held - native.externalMemory() >= LEVEL_9, 'memory released at once');
    await rejectsWith(
      Promise.resolve().then(() => idle.flushAsync()),
      'ABORT_ERR',
    );
    // After the stream ended there is nothing to cancel.
    const flushed = new Compressor(1);
    flushed.flush();
    flushed.cancel();
    expectCode(() => flushed.flush(), Error, 'ERR_BZ2_FLUSHED');
  });

  it('throws ERR_CONSTRUCT_CALL_REQUIRED when a class is called without new', () => {
    expectCode(
      () => (Compressor as unknown as AnyFunction)(9),
      TypeError,
      'ERR_CONSTRUCT_CALL_REQUIRED',
    );
    expectCode(
      () => (native.Decompressor as unknown as AnyFunction)(),
      TypeError,
      'ERR_CONSTRUCT_CALL_REQUIRED',
    );
  });

  it("sets 'code' as an own property, whatever Error.prototype holds", () => {
    let setterRan = false;
    Object.defineProperty(Error.prototype, 'code', {
      configurable: true,
      get: () => 'from the prototype',
      set: () => {
        setterRan = true;
      },
    });
    try {
      expectCode(() => new Compressor(0), RangeError, 'ERR_OUT_OF_RANGE');
      assert.equal(setterRan, false);
    } finally {
      delete (Error.prototype as { code?: unknown }).code;
    }
  });

  it('refuses output past the largest Buffer, and stays failed instead of corrupting the stream', async () => {
    // In a worker: the limit is per environment, and this one sets it absurdly low.
    const source = `
      const { parentPort } = require('node:worker_threads');
      const native = require('node-gyp-build')(${JSON.stringify(join(__dirname, '..'))});
      native.setMaxBufferLength(1000);
      const codes = [];
      const c = new native.Compressor(1);
      try { c.compress(require('node:crypto').randomBytes(300000)); } catch (e) { codes.push(e.code); }
      try { c.flush(); } catch (e) { codes.push(e.code); }
      const d = new native.Decompressor(false);
      const z = new native.Compressor(1);
      const packed = Buffer.concat([z.compress(Buffer.alloc(5000, 1)), z.flush()]);
      // "No limit" still stops at the largest Buffer; the rest comes out of later calls, which
      // are given the input the earlier ones left.
      const first = d.decompress(packed, -1);
      let rest = packed.subarray(d.consumed);
      codes.push(first.length, d.needsInput);
      let total = first.length, calls = 1;
      while (!d.eof) {
        total += d.decompress(rest, -1).length;
        rest = rest.subarray(d.consumed);
        calls++;
      }
      codes.push(total, calls);
      parentPort.postMessage(codes);
    `;
    const codes = await firstMessage(startWorker(source));
    assert.deepEqual(codes, ['ERR_BUFFER_TOO_LARGE', 'ERR_BUFFER_TOO_LARGE', 1000, false, 5000, 5]);
  });

  it('reports the bundled libbzip2 version', () => {
    assert.match(native.bzlibVersion, /^1\.0\.8,/);
  });

  it('must be called with new', () => {
    assert.throws(() => (Compressor as unknown as AnyFunction)(9), TypeError);
  });

  it('checks its level argument', () => {
    const ctor = Compressor as unknown as new (...args: unknown[]) => unknown;
    for (const bad of [undefined, '9', null, {}, 9n]) {
      expectCode(() => new ctor(bad), TypeError, 'ERR_INVALID_ARG_TYPE');
    }
    expectCode(() => new ctor(), TypeError, 'ERR_INVALID_ARG_TYPE');
    for (const bad of [0, 10, 1.5, NaN, Infinity, -Infinity, -0.5, 2 ** 64]) {
      expectCode(() => new ctor(bad), RangeError, 'ERR_OUT_OF_RANGE');
    }
  });

  it('checks its data argument', () => {
    const compressor = new Compressor(1) as unknown as Record<'compress', AnyFunction>;
    for (const bad of [undefined, null, 'text', 1, {}, [], new ArrayBuffer(4), Symbol('s')]) {
      expectCode(() => compressor.compress(bad), TypeError, 'ERR_INVALID_ARG_TYPE');
    }
    expectCode(() => compressor.compress(), TypeError, 'ERR_INVALID_ARG_TYPE');
  });

  it('rejects calls on anything but a Compressor', () => {
    const receivers: unknown[] = [
      {},
      Object.create(Compressor.prototype as object) as unknown,
      Compressor.prototype,
      undefined,
      null,
      1,
      'x',
      new (class extends Object {})(),
      new Uint8Array(8),
    ];
    for (const self of receivers) {
      expectCode(() => proto.compress.call(self, new Uint8Array(1)), TypeError, 'ERR_INVALID_THIS');
      expectCode(() => proto.flush.call(self), TypeError, 'ERR_INVALID_THIS');
    }
  });

  it('works as the base of a JS subclass', () => {
    class Sub extends Compressor {}
    const sub = new Sub(3);
    assert.equal(sub.flush().length, 14);
  });

  it('throws ERR_BZ2_FLUSHED after flush, and keeps throwing', () => {
    const compressor = new Compressor(2);
    compressor.compress(new Uint8Array([1, 2, 3]));
    compressor.flush();
    expectCode(() => compressor.flush(), Error, 'ERR_BZ2_FLUSHED');
    expectCode(() => compressor.compress(new Uint8Array(1)), Error, 'ERR_BZ2_FLUSHED');
    expectCode(() => compressor.flush(), Error, 'ERR_BZ2_FLUSHED');
  });

  it('reads a view over a detached ArrayBuffer as empty', () => {
    const compressor = new Compressor(1);
    const buffer = new ArrayBuffer(64);
    const view = new Uint8Array(buffer, 8, 16);
    const dataView = new DataView(buffer, 4, 4);
    structuredClone(buffer, { transfer: [buffer] });
    assert.equal(buffer.byteLength, 0);
    assert.equal(compressor.compress(view).length, 0);
    assert.equal(compressor.compress(dataView).length, 0);
    const empty = new Compressor(1);
    assert.deepEqual(compressor.flush(), empty.flush());
  });

  it('accepts a DataView with an offset', () => {
    const bytes = new Uint8Array([9, 9, 104, 105, 9]);
    const a = new Compressor(9);
    a.compress(new DataView(bytes.buffer, 2, 2));
    const b = new Compressor(9);
    b.compress(new Uint8Array([104, 105]));
    assert.deepEqual(a.flush(), b.flush());
  });
});
