/**
 * The native binding defends itself: every wrong call throws a coded JS error instead of crashing,
 * even when the TypeScript layer is bypassed.
 */
import assert from 'node:assert/strict';
import { native } from '../lib/native';
import { expectCode } from './helpers/assert';

const { Compressor } = native;
type AnyFunction = (...args: unknown[]) => unknown;
const proto = Compressor.prototype as unknown as Record<'compress' | 'flush', AnyFunction>;

describe('native Compressor', () => {
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
