/** API.md section 3, synchronous half: compressSync and decompressSync. */
import assert from 'node:assert/strict';
import { constants } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { BZ2Compressor, compressSync, decompressSync } from '../lib/index';
import { expectCode } from './helpers/assert';
import { corpusFiles, missingShared } from './helpers/corpus';
import { flipBit } from './helpers/corrupt';
import { golden, sha256 } from './helpers/golden';
import { Prng, text } from './helpers/inputs';

const TEXT = text(300000, 21);
const STREAM = compressSync(TEXT, 1);

describe('compressSync', () => {
  it('takes the level as a number or as options.level, 9 by default', () => {
    const data = text(5000, 1);
    const nine = compressSync(data);
    assert.equal(nine.subarray(0, 4).toString(), 'BZh9');
    assert.deepEqual(compressSync(data, 9), nine);
    assert.deepEqual(compressSync(data, {}), nine);
    assert.deepEqual(compressSync(data, { level: 3 }), compressSync(data, 3));
    assert.equal(compressSync(data, { level: 3 }).subarray(0, 4).toString(), 'BZh3');
  });

  it('gives the same bytes whatever the threads option', () => {
    const data = text(700000, 2);
    const expected = compressSync(data, 1);
    for (const threads of [1, 2, 3, 4])
      assert.deepEqual(compressSync(data, { level: 1, threads }), expected);
  });

  it('finishes like BZ2Compressor when the input ends exactly as a block fills', () => {
    // 100000 * N - 19 random bytes fill a block exactly: libbzip2 then emits two blocks (the
    // second empty) when fed with BZ_RUN and finished, one when finished from the first call.
    for (const level of [1, 2, 5, 9]) {
      const length = 100000 * level - 19;
      const data = new Prng(1000 + level).bytes(length);
      const output = compressSync(data, level);
      assert.equal(sha256(output), golden(`random-${length}`, level).sha256);
      const compressor = new BZ2Compressor(level);
      assert.deepEqual(output, Buffer.concat([compressor.compress(data), compressor.flush()]));
    }
  });

  it('rejects bad arguments with coded errors', () => {
    expectCode(() => compressSync(1 as never), TypeError, 'ERR_INVALID_ARG_TYPE', /"data"/);
    expectCode(
      () => compressSync('x', '9' as never),
      TypeError,
      'ERR_INVALID_ARG_TYPE',
      /"options"/,
    );
    expectCode(
      () => compressSync('x', null as never),
      TypeError,
      'ERR_INVALID_ARG_TYPE',
      /"options"/,
    );
    expectCode(
      () => compressSync('x', 0),
      RangeError,
      'ERR_OUT_OF_RANGE',
      /level must be between 1 and 9/,
    );
    expectCode(
      () => compressSync('x', { level: 10 }),
      RangeError,
      'ERR_OUT_OF_RANGE',
      /options\.level/,
    );
    expectCode(() => compressSync('x', { level: '1' as never }), TypeError, 'ERR_INVALID_ARG_TYPE');
    expectCode(
      () => compressSync('x', { threads: 0 }),
      RangeError,
      'ERR_OUT_OF_RANGE',
      /options\.threads/,
    );
    expectCode(() => compressSync('x', { threads: 1.5 }), RangeError, 'ERR_OUT_OF_RANGE');
    expectCode(
      () => compressSync('x', { signal: {} as never }),
      TypeError,
      'ERR_INVALID_ARG_TYPE',
      /options\.signal/,
    );
  });
});

describe('decompressSync', () => {
  if (corpusFiles().length === 0) it.skip(missingShared('corpus'));
  for (const file of corpusFiles()) {
    it(`round-trips ${basename(file)} at levels 1 and 9`, () => {
      const data = readFileSync(file);
      for (const level of [1, 9]) assert.ok(decompressSync(compressSync(data, level)).equals(data));
    });
  }

  it('gives an empty Buffer for empty input', () => {
    const output = decompressSync(Buffer.alloc(0));
    assert.ok(Buffer.isBuffer(output));
    assert.equal(output.length, 0);
  });

  it('reads concatenated streams', () => {
    const a = compressSync('first stream;', 1);
    const b = compressSync('', 5);
    const c = compressSync(TEXT, 9);
    assert.deepEqual(
      decompressSync(Buffer.concat([a, b, c, a])),
      Buffer.concat([Buffer.from('first stream;'), TEXT, Buffer.from('first stream;')]),
    );
  });

  it('ignores trailing bytes that are not a stream, after a complete one (as Python)', () => {
    for (const junk of [
      '\n',
      'garbage',
      '\0\0\0\0',
      'BZh0',
      'BZx',
      'BZh9\0\0\0\0\0\0\0\0\0\0\0\0',
    ]) {
      assert.deepEqual(
        decompressSync(Buffer.concat([STREAM, Buffer.from(junk, 'latin1')])),
        TEXT,
        JSON.stringify(junk),
      );
    }
    // A second stream that is corrupt inside is ignored as well, output and all.
    const corrupt = flipBit(STREAM, (STREAM.length - 100) * 8);
    assert.deepEqual(decompressSync(Buffer.concat([STREAM, corrupt])), TEXT);
  });

  it('treats trailing bytes that start a stream and then end as truncation (as Python)', () => {
    for (const junk of ['B', 'BZ', 'BZh', 'BZh9', 'BZh91AY']) {
      expectCode(
        () => decompressSync(Buffer.concat([STREAM, Buffer.from(junk)])),
        Error,
        'ERR_BZ2_TRUNCATED',
        'Compressed data ended before the end-of-stream marker was reached',
      );
    }
  });

  it('fails with ERR_BZ2_DATA when the first stream is invalid', () => {
    for (const bad of ['x', 'hello world', 'BZh0', 'BZx9', '\0\0\0\0\0\0\0\0\0\0\0\0']) {
      expectCode(
        () => decompressSync(Buffer.from(bad)),
        Error,
        'ERR_BZ2_DATA',
        'Invalid data stream',
      );
    }
  });

  it('fails with ERR_BZ2_TRUNCATED at every cut point of a small stream', () => {
    const stream = compressSync(text(3000, 4), 1);
    for (let cut = 1; cut < stream.length; cut++) {
      expectCode(() => decompressSync(stream.subarray(0, cut)), Error, 'ERR_BZ2_TRUNCATED');
    }
  });

  it('fails with ERR_BZ2_TRUNCATED at sampled cut points of a multi-block stream', () => {
    const rng = new Prng(5);
    for (let i = 0; i < 40; i++) {
      const cut = 1 + rng.below(STREAM.length - 1);
      expectCode(() => decompressSync(STREAM.subarray(0, cut)), Error, 'ERR_BZ2_TRUNCATED');
    }
  });

  it('enforces maxOutputLength exactly', () => {
    assert.deepEqual(decompressSync(STREAM, { maxOutputLength: TEXT.length }), TEXT);
    expectCode(
      () => decompressSync(STREAM, { maxOutputLength: TEXT.length - 1 }),
      RangeError,
      'ERR_BUFFER_TOO_LARGE',
      new RegExp(`${TEXT.length - 1}`),
    );
    expectCode(
      () => decompressSync(Buffer.concat([STREAM, STREAM]), { maxOutputLength: TEXT.length + 5 }),
      RangeError,
      'ERR_BUFFER_TOO_LARGE',
    );
  });

  it('rejects bad options with coded errors', () => {
    expectCode(
      () => decompressSync(STREAM, 5 as never),
      TypeError,
      'ERR_INVALID_ARG_TYPE',
      /"options"/,
    );
    expectCode(
      () => decompressSync(STREAM, { maxOutputLength: '5' as never }),
      TypeError,
      'ERR_INVALID_ARG_TYPE',
    );
    for (const bad of [0, -1, 1.5, NaN, constants.MAX_LENGTH + 1]) {
      expectCode(
        () => decompressSync(STREAM, { maxOutputLength: bad }),
        RangeError,
        'ERR_OUT_OF_RANGE',
        /maxOutputLength/,
      );
    }
  });

  it('never modifies its input', () => {
    const input = Buffer.from(STREAM);
    decompressSync(input);
    assert.deepEqual(input, STREAM);
  });
});
