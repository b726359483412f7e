/** API.md sections 0 and 1: argument errors, the flushed state and its messages. */
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { BZ2Compressor } from '../lib/index';
import { expectCode } from './helpers/assert';
import { golden, goldenFile, sha256 } from './helpers/golden';

describe('BZ2Compressor constructor', () => {
  it('defaults to level 9', () => {
    assert.deepEqual(new BZ2Compressor().flush(), goldenFile('empty', 9));
    assert.deepEqual(new BZ2Compressor(undefined).flush(), goldenFile('empty', 9));
  });

  for (let level = 1; level <= 9; level++) {
    it(`flush() right after construction at level ${level} returns the 14-byte empty stream`, () => {
      const output = new BZ2Compressor(level).flush();
      assert.equal(output.length, 14);
      assert.equal(output.subarray(0, 4).toString('latin1'), `BZh${level}`);
      assert.equal(sha256(output), golden('empty', level).sha256);
    });
  }

  for (const bad of ['9', null, true, {}, [], 9n, Symbol('9'), () => 9]) {
    it(`rejects compresslevel ${inspect(bad)} as ERR_INVALID_ARG_TYPE`, () => {
      expectCode(
        () => new BZ2Compressor(bad as never),
        TypeError,
        'ERR_INVALID_ARG_TYPE',
        /"compresslevel"/,
      );
    });
  }

  for (const bad of [0, 10, -1, 1.5, 8.999, NaN, Infinity, -Infinity, 2 ** 53]) {
    it(`rejects compresslevel ${bad} as ERR_OUT_OF_RANGE`, () => {
      expectCode(
        () => new BZ2Compressor(bad),
        RangeError,
        'ERR_OUT_OF_RANGE',
        /compresslevel must be between 1 and 9/,
      );
    });
  }
});

describe('BZ2Compressor.compress arguments', () => {
  const bad: unknown[] = [
    undefined,
    null,
    123,
    true,
    {},
    [1, 2],
    () => 1,
    Symbol('x'),
    1n,
    new Set(),
  ];
  for (const value of bad) {
    it(`rejects ${inspect(value)} as ERR_INVALID_ARG_TYPE, and stays usable`, () => {
      const compressor = new BZ2Compressor(1);
      compressor.compress('ab');
      expectCode(
        () => compressor.compress(value as never),
        TypeError,
        'ERR_INVALID_ARG_TYPE',
        /^The "data" argument must be of type string or an instance of Buffer, TypedArray, DataView, or ArrayBuffer\. Received /,
      );
      compressor.compress('c');
      const expected = new BZ2Compressor(1);
      expected.compress('abc');
      assert.deepEqual(compressor.flush(), expected.flush());
    });
  }
});

describe('BZ2Compressor after flush()', () => {
  it('compress() throws ERR_BZ2_FLUSHED "Compressor has been flushed"', () => {
    const compressor = new BZ2Compressor();
    compressor.compress('data');
    compressor.flush();
    expectCode(
      () => compressor.compress('more'),
      Error,
      'ERR_BZ2_FLUSHED',
      'Compressor has been flushed',
    );
    expectCode(
      () => compressor.compress(Buffer.alloc(0)),
      Error,
      'ERR_BZ2_FLUSHED',
      'Compressor has been flushed',
    );
  });

  it('flush() throws ERR_BZ2_FLUSHED "Repeated call to flush()", every time', () => {
    const compressor = new BZ2Compressor(4);
    compressor.flush();
    expectCode(() => compressor.flush(), Error, 'ERR_BZ2_FLUSHED', 'Repeated call to flush()');
    expectCode(() => compressor.flush(), Error, 'ERR_BZ2_FLUSHED', 'Repeated call to flush()');
  });

  it('checks the argument before the state, as Python does', () => {
    const compressor = new BZ2Compressor();
    compressor.flush();
    expectCode(() => compressor.compress(42 as never), TypeError, 'ERR_INVALID_ARG_TYPE');
  });
});

describe('BZ2Compressor shape', () => {
  it('keeps its native handle out of reach', () => {
    const compressor = new BZ2Compressor();
    assert.deepEqual(Object.keys(compressor), []);
    assert.deepEqual(Object.getOwnPropertyNames(compressor), []);
    assert.deepEqual(Object.getOwnPropertySymbols(compressor), []);
  });

  it('methods called on another object throw, never crash', () => {
    const compressor = new BZ2Compressor();
    assert.throws(() => BZ2Compressor.prototype.compress.call({}, 'x'), TypeError);
    assert.throws(
      () => BZ2Compressor.prototype.flush.call(Object.create(BZ2Compressor.prototype)),
      TypeError,
    );
    assert.throws(() => (BZ2Compressor as unknown as () => unknown)(), TypeError);
    compressor.flush();
  });
});
