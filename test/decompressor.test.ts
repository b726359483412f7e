/** API.md section 2: BZ2Decompressor, after CPython's test_bz2 BZ2DecompressorTest. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { BZ2Decompressor, compressSync } from '../lib/index';
import { native } from '../lib/native';
import { expectCode } from './helpers/assert';
import { flipBit } from './helpers/corrupt';
import { settle } from './helpers/memory';
import { text } from './helpers/inputs';

const TEXT = text(120000, 5);
const DATA = compressSync(TEXT, 1); // two blocks at level 1
const BIG_TEXT = text(1000000, 6);
const BIG_DATA = compressSync(BIG_TEXT, 9);

const samples = [1, 2, 3].map((n) => ({
  name: `sample${n}`,
  ref: readFileSync(join(__dirname, '..', 'deps', 'bzip2-1.0.8', `sample${n}.ref`)),
  bz2: readFileSync(join(__dirname, '..', 'deps', 'bzip2-1.0.8', `sample${n}.bz2`)),
}));

function feed(data: Buffer, piece: number, maxLength?: number): Buffer {
  const decompressor = new BZ2Decompressor();
  const out: Buffer[] = [];
  for (let i = 0; i < data.length; i += piece) {
    out.push(decompressor.decompress(data.subarray(i, i + piece), maxLength));
  }
  while (!decompressor.eof) out.push(decompressor.decompress(Buffer.alloc(0), maxLength));
  return Buffer.concat(out);
}

describe('BZ2Decompressor', () => {
  it('decompresses in one call', () => {
    const decompressor = new BZ2Decompressor();
    assert.deepEqual(decompressor.decompress(DATA), TEXT);
    assert.equal(decompressor.eof, true);
    assert.equal(decompressor.needsInput, false);
    assert.equal(decompressor.unusedData.length, 0);
  });

  it('decompresses chunks of 10 bytes', () => {
    assert.deepEqual(feed(DATA, 10), TEXT);
  });

  it('decompresses one byte at a time', () => {
    assert.deepEqual(feed(samples[0]?.bz2 ?? Buffer.alloc(0), 1), samples[0]?.ref);
  });

  for (const sample of samples) {
    it(`decompresses the release's ${sample.name}.bz2 in one call and in 4 KiB pieces`, () => {
      assert.deepEqual(new BZ2Decompressor().decompress(sample.bz2), sample.ref);
      assert.deepEqual(feed(sample.bz2, 4096), sample.ref);
    });
  }

  it('keeps the bytes after the end of the stream in unusedData', () => {
    const unused = Buffer.from('this is unused data');
    const decompressor = new BZ2Decompressor();
    assert.deepEqual(decompressor.decompress(Buffer.concat([DATA, unused])), TEXT);
    assert.equal(decompressor.eof, true);
    assert.deepEqual(decompressor.unusedData, unused);
    // A fresh Buffer on every read: changing one changes nothing inside.
    decompressor.unusedData.fill(0);
    assert.deepEqual(decompressor.unusedData, unused);
  });

  it('collects unused data that straddles calls', () => {
    const decompressor = new BZ2Decompressor();
    const split = DATA.length - 3;
    decompressor.decompress(DATA.subarray(0, split));
    assert.equal(decompressor.eof, false);
    decompressor.decompress(Buffer.concat([DATA.subarray(split), Buffer.from('abc')]));
    assert.equal(decompressor.eof, true);
    assert.deepEqual(decompressor.unusedData, Buffer.from('abc'));
  });

  it('throws ERR_BZ2_EOF "End of stream already reached" after the end', () => {
    const decompressor = new BZ2Decompressor();
    decompressor.decompress(DATA);
    expectCode(
      () => decompressor.decompress(Buffer.from('x')),
      Error,
      'ERR_BZ2_EOF',
      'End of stream already reached',
    );
    expectCode(
      () => decompressor.decompress(''),
      Error,
      'ERR_BZ2_EOF',
      'End of stream already reached',
    );
  });

  it('honours maxLength, with needsInput (test_decompressor_chunks_maxsize)', () => {
    const decompressor = new BZ2Decompressor();
    const maxLength = 100;
    const out: Buffer[] = [];
    const split = BIG_DATA.length - 64;
    out.push(decompressor.decompress(BIG_DATA.subarray(0, split), maxLength));
    assert.equal(decompressor.needsInput, false);
    assert.equal(out.at(-1)?.length, maxLength);
    out.push(decompressor.decompress(Buffer.alloc(0), maxLength));
    assert.equal(decompressor.needsInput, false);
    assert.equal(out.at(-1)?.length, maxLength);
    out.push(decompressor.decompress(BIG_DATA.subarray(split), maxLength));
    assert.ok((out.at(-1)?.length ?? Infinity) <= maxLength);
    while (!decompressor.eof) {
      out.push(decompressor.decompress(Buffer.alloc(0), 65536));
      assert.ok((out.at(-1)?.length ?? Infinity) <= 65536);
    }
    assert.deepEqual(Buffer.concat(out), BIG_TEXT);
    assert.equal(decompressor.unusedData.length, 0);
  });

  it('reuses its input buffer across calls (test_decompressor_inputbuf_1)', () => {
    const decompressor = new BZ2Decompressor();
    const out: Buffer[] = [];
    assert.equal(decompressor.decompress(DATA.subarray(0, 100), 0).length, 0);
    // As in CPython: libbzip2 read all 100 bytes (the block is not complete, so no output waits).
    assert.equal(decompressor.needsInput, true);
    out.push(decompressor.decompress(Buffer.alloc(0), 2));
    out.push(decompressor.decompress(DATA.subarray(100, 105), 15));
    out.push(decompressor.decompress(DATA.subarray(105)));
    assert.deepEqual(Buffer.concat(out), TEXT);
  });

  it('appends input to what is buffered (test_decompressor_inputbuf_2)', () => {
    const decompressor = new BZ2Decompressor();
    const out: Buffer[] = [];
    assert.equal(decompressor.decompress(DATA.subarray(0, 200), 0).length, 0);
    out.push(decompressor.decompress(DATA.subarray(200, 280), 2));
    out.push(decompressor.decompress(DATA.subarray(280, 300), 2));
    out.push(decompressor.decompress(DATA.subarray(300)));
    assert.deepEqual(Buffer.concat(out), TEXT);
  });

  it('grows its input buffer (test_decompressor_inputbuf_3)', () => {
    const decompressor = new BZ2Decompressor();
    const out: Buffer[] = [];
    out.push(decompressor.decompress(DATA.subarray(0, 200), 5));
    out.push(decompressor.decompress(DATA.subarray(200, 300), 5));
    out.push(decompressor.decompress(DATA.subarray(300)));
    assert.deepEqual(Buffer.concat(out), TEXT);
  });

  for (const maxLength of [1, 7, 4096, 100000]) {
    it(`returns at most maxLength=${maxLength} bytes a call, and everything in the end`, () => {
      const decompressor = new BZ2Decompressor();
      const out: Buffer[] = [];
      let calls = 0;
      let offset = 0;
      while (!decompressor.eof) {
        // Input arrives in 3000-byte pieces only when the decompressor asks for it.
        const piece = decompressor.needsInput
          ? DATA.subarray(offset, (offset += 3000))
          : Buffer.alloc(0);
        const chunk = decompressor.decompress(piece, maxLength);
        assert.ok(chunk.length <= maxLength);
        out.push(chunk);
        assert.ok(++calls < 1000000, 'no progress');
      }
      assert.deepEqual(Buffer.concat(out), TEXT);
    });
  }

  it('says needsInput when all input is used', () => {
    const decompressor = new BZ2Decompressor();
    assert.equal(decompressor.needsInput, true);
    decompressor.decompress(DATA.subarray(0, 50));
    assert.equal(decompressor.needsInput, true);
    assert.equal(decompressor.eof, false);
  });

  it('fails with ERR_BZ2_DATA on invalid data, and on every call after', () => {
    const decompressor = new BZ2Decompressor();
    expectCode(
      () => decompressor.decompress(Buffer.alloc(100)),
      Error,
      'ERR_BZ2_DATA',
      'Invalid data stream',
    );
    expectCode(() => decompressor.decompress(DATA), Error, 'ERR_BZ2_DATA', 'Invalid data stream');
    expectCode(
      () => decompressor.decompress(Buffer.alloc(0)),
      Error,
      'ERR_BZ2_DATA',
      'Invalid data stream',
    );
  });

  it('fails with ERR_BZ2_DATA on a corrupt block after good output', () => {
    const corrupt = flipBit(DATA, (DATA.length - 200) * 8 + 4);
    const decompressor = new BZ2Decompressor();
    expectCode(() => decompressor.decompress(corrupt), Error, 'ERR_BZ2_DATA');
    expectCode(() => decompressor.decompress(''), Error, 'ERR_BZ2_DATA');
  });

  it('rejects bad arguments with coded errors', () => {
    const decompressor = new BZ2Decompressor();
    for (const bad of [undefined, null, 1, {}, [1]]) {
      expectCode(
        () => decompressor.decompress(bad as never),
        TypeError,
        'ERR_INVALID_ARG_TYPE',
        /"data"/,
      );
    }
    for (const bad of ['1', null, {}]) {
      expectCode(
        () => decompressor.decompress(DATA, bad as never),
        TypeError,
        'ERR_INVALID_ARG_TYPE',
        /"maxLength"/,
      );
    }
    for (const bad of [-2, 1.5, NaN, Infinity, -Infinity, 2 ** 53]) {
      expectCode(
        () => decompressor.decompress(DATA, bad),
        RangeError,
        'ERR_OUT_OF_RANGE',
        /maxLength/,
      );
    }
    // Nothing was consumed by the failed calls.
    assert.deepEqual(decompressor.decompress(DATA, -1), TEXT);
  });

  it('reports its memory to V8 while it holds it, and frees it at the end of the stream', async () => {
    await settle(); // so that no collection of earlier garbage lands inside the measurement
    const before = native.externalMemory();
    const decompressor = new BZ2Decompressor();
    decompressor.decompress(BIG_DATA.subarray(0, 1000)); // reads the header: allocates 9 x 400 kB
    const during = native.externalMemory() - before;
    assert.ok(during >= 900000 * 4, `${during}`);
    const rest = decompressor.decompress(BIG_DATA.subarray(1000));
    assert.equal(decompressor.eof, true);
    assert.ok(
      native.externalMemory() - before < 100000 + rest.length,
      'memory not released at eof',
    );
  });

  it('methods and getters called on another object throw, never crash', () => {
    const proto = BZ2Decompressor.prototype;
    assert.throws(() => proto.decompress.call({}, DATA), TypeError);
    for (const name of ['eof', 'needsInput', 'unusedData'] as const) {
      // Detached on purpose: the test calls it on a foreign receiver.
      // eslint-disable-next-line @typescript-eslint/unbound-method
      const getter: unknown = Object.getOwnPropertyDescriptor(proto, name)?.get;
      assert.ok(typeof getter === 'function', name);
      assert.throws(() => Reflect.apply(getter, {}, []), TypeError, inspect(name));
    }
  });
});
