/** API.md sections 3 and 4: promise variants, ordering, ERR_BZ2_BUSY, lifetime, AbortSignal. */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  BZ2Compressor,
  BZ2Decompressor,
  compress,
  compressSync,
  decompress,
  decompressSync,
} from '../lib/index';
import { expectCode, rejectsWith } from './helpers/assert';
import { golden, sha256 } from './helpers/golden';
import { caseInput } from './helpers/cases';
import { Prng, text } from './helpers/inputs';

const TEXT = text(1_500_000, 31);
const STREAM = compressSync(TEXT, 2);

describe('compress() and decompress()', () => {
  for (const [name, level] of [
    ['text-2500000', 1],
    ['text-2500000', 9],
    ['random-99981', 1],
    ['runs-1200000', 4],
    ['empty', 9],
  ] as const) {
    it(`compress(${name}, ${level}) equals bzip2 -${level}, and decompress() returns the input`, async () => {
      const data = caseInput(name);
      const output = await compress(data, { level });
      assert.equal(sha256(output), golden(name, level).sha256);
      assert.ok((await decompress(output)).equals(data));
    });
  }

  it('32 concurrent one-shot calls are all correct', async () => {
    const inputs = Array.from({ length: 32 }, (_, i) => text(40_000 + i * 997, 100 + i));
    const outputs = await Promise.all(inputs.map((input, i) => compress(input, (i % 9) + 1)));
    outputs.forEach((output, i) =>
      assert.deepEqual(output, compressSync(inputs[i] ?? '', (i % 9) + 1)),
    );
    const back = await Promise.all(outputs.map((output) => decompress(output)));
    back.forEach((output, i) => assert.deepEqual(output, inputs[i]));
  });

  it('decompress() follows decompressSync on concatenated streams, trailing bytes and errors', async () => {
    const two = Buffer.concat([STREAM, compressSync('tail', 9), Buffer.from('junk')]);
    assert.deepEqual(await decompress(two), decompressSync(two));
    await rejectsWith(decompress(Buffer.from('not bzip2')), 'ERR_BZ2_DATA');
    await rejectsWith(decompress(STREAM.subarray(0, STREAM.length - 10)), 'ERR_BZ2_TRUNCATED');
    await rejectsWith(
      decompress(STREAM, { maxOutputLength: TEXT.length - 1 }),
      'ERR_BUFFER_TOO_LARGE',
      RangeError,
    );
    assert.deepEqual(await decompress(STREAM, { maxOutputLength: TEXT.length }), TEXT);
    assert.equal((await decompress(Buffer.alloc(0))).length, 0);
  });

  it('reject (never throw) on bad arguments', async () => {
    const calls: (() => Promise<unknown>)[] = [
      () => compress(5 as never),
      () => compress('x', 10),
      () => compress('x', { signal: 'no' as never }),
      () => decompress(null as never),
      () => decompress(STREAM, { maxOutputLength: 0 }),
    ];
    for (const call of calls) {
      let promise: Promise<unknown> | undefined;
      assert.doesNotThrow(() => {
        promise = call();
      });
      await assert.rejects(
        promise ?? Promise.resolve(),
        (error: unknown) => typeof (error as { code?: unknown }).code === 'string',
      );
    }
  });

  it('survive the input being detached mid-call: correct output or ERR_INVALID_STATE', async () => {
    // Compression reads (and natively copies) one block per step: a detach shows at the next one.
    const big = new ArrayBuffer(TEXT.length);
    new Uint8Array(big).set(TEXT);
    const compressing = compress(new Uint8Array(big), 1);
    structuredClone(big, { transfer: [big] });
    await rejectsWith(compressing, 'ERR_INVALID_STATE');

    // Decompression of a small input copies it all in its first step, at the call, and that
    // step decodes it all (less than a step's MiB of output).
    const smallText = text(500_000, 32);
    const smallStream = compressSync(smallText, 2);
    const small = new ArrayBuffer(smallStream.length);
    new Uint8Array(small).set(smallStream);
    const decoding = decompress(new Uint8Array(small));
    structuredClone(small, { transfer: [small] });
    assert.deepEqual(await decoding, smallText);

    // With more output than one step makes, one thread reads the input again after the first
    // step; several threads take all of it (less than their window) in the first.
    const medium = new ArrayBuffer(STREAM.length);
    new Uint8Array(medium).set(STREAM);
    const decodingMedium = decompress(new Uint8Array(medium), { threads: 1 });
    structuredClone(medium, { transfer: [medium] });
    await rejectsWith(decodingMedium, 'ERR_INVALID_STATE');
    const medium2 = new ArrayBuffer(STREAM.length);
    new Uint8Array(medium2).set(STREAM);
    const decodingMedium2 = decompress(new Uint8Array(medium2), { threads: 2 });
    structuredClone(medium2, { transfer: [medium2] });
    assert.deepEqual(await decodingMedium2, TEXT);

    // A larger one is read a MiB at a time.
    const large = compressSync(new Prng(5).bytes(2_500_000), 9);
    const buffer = new ArrayBuffer(large.length);
    new Uint8Array(buffer).set(large);
    const decodingLarge = decompress(new Uint8Array(buffer));
    structuredClone(buffer, { transfer: [buffer] });
    await rejectsWith(decodingLarge, 'ERR_INVALID_STATE');
  });

  it('keep the event loop turning while they work', async () => {
    const data = text(4_000_000, 77);
    let ticks = 0;
    let longest = 0;
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      longest = Math.max(longest, now - last);
      last = now;
      ticks++;
    }, 1);
    const started = performance.now();
    const output = await compress(data, 9);
    await decompress(output);
    const elapsed = performance.now() - started;
    clearInterval(timer);
    // compressSync of this input blocks for the whole elapsed time; here the loop keeps ticking.
    assert.ok(ticks > elapsed / 20, `${ticks} ticks in ${elapsed.toFixed(0)} ms`);
    assert.ok(
      longest < elapsed / 3,
      `longest gap ${longest.toFixed(1)} ms of ${elapsed.toFixed(0)} ms`,
    );
  });
});

describe('AbortSignal', () => {
  it('an already aborted signal rejects at once with an AbortError', async () => {
    const signal = AbortSignal.abort(new Error('reason'));
    for (const promise of [compress(TEXT, { signal }), decompress(STREAM, { signal })]) {
      await assert.rejects(promise, (error: Error & { code?: unknown; cause?: unknown }) => {
        assert.equal(error.name, 'AbortError');
        assert.equal(error.code, 'ABORT_ERR');
        assert.equal((error.cause as Error).message, 'reason');
        return true;
      });
    }
  });

  it('aborting during the work rejects promptly, and the next calls still work', async () => {
    const data = text(6_000_000, 3);
    for (const run of [
      (signal: AbortSignal) => compress(data, { level: 9, signal }),
      (signal: AbortSignal) => decompress(compressSync(data, 1), { signal }),
    ]) {
      const controller = new AbortController();
      const promise = run(controller.signal);
      await sleep(30);
      const abortedAt = performance.now();
      controller.abort();
      await rejectsWith(promise, 'ABORT_ERR');
      assert.ok(performance.now() - abortedAt < 100, 'the rejection waited for the work');
    }
    assert.deepEqual(await decompress(await compress('still fine')), Buffer.from('still fine'));
  });

  it('aborting after the work settled changes nothing', async () => {
    const controller = new AbortController();
    const output = await compress('abc', { signal: controller.signal });
    controller.abort();
    assert.deepEqual(output, compressSync('abc'));
  });
});

describe('BZ2Compressor async methods', () => {
  it('run in call order under many queued calls; output equals one compress call', async () => {
    const data = caseInput('runs-1200000');
    const compressor = new BZ2Compressor(3);
    const cuts = [0];
    const rng = new Prng(17);
    while ((cuts.at(-1) ?? 0) < data.length) cuts.push((cuts.at(-1) ?? 0) + 1 + rng.below(60000));
    const promises = cuts
      .slice(0, -1)
      .map((start, i) => compressor.compressAsync(data.subarray(start, cuts[i + 1])));
    promises.push(compressor.flushAsync());
    assert.equal(
      sha256(Buffer.concat(await Promise.all(promises))),
      golden('runs-1200000', 3).sha256,
    );
  });

  it('compresses inputs larger than a block in block-sized steps, with the same bytes', async () => {
    const data = caseInput('text-2500000');
    const compressor = new BZ2Compressor(1);
    const output = Buffer.concat([
      await compressor.compressAsync(data),
      await compressor.flushAsync(),
    ]);
    assert.equal(sha256(output), golden('text-2500000', 1).sha256);
  });

  it('synchronous calls while async work is pending throw ERR_BZ2_BUSY; after it, they work', async () => {
    const compressor = new BZ2Compressor(9);
    const pending = compressor.compressAsync(TEXT);
    expectCode(() => compressor.compress('x'), Error, 'ERR_BZ2_BUSY');
    expectCode(() => compressor.flush(), Error, 'ERR_BZ2_BUSY');
    const first = await pending;
    const rest = compressor.flush();
    assert.deepEqual(Buffer.concat([first, rest]), compressSync(TEXT, 9));
  });

  it('flushAsync sets the flushed state at the call', async () => {
    const compressor = new BZ2Compressor();
    const flushing = compressor.flushAsync();
    await rejectsWith(compressor.compressAsync('x'), 'ERR_BZ2_FLUSHED');
    await rejectsWith(compressor.flushAsync(), 'ERR_BZ2_FLUSHED');
    assert.equal((await flushing).length, 14);
    expectCode(
      () => compressor.compress('x'),
      Error,
      'ERR_BZ2_FLUSHED',
      'Compressor has been flushed',
    );
  });

  it('detaching the input right after compressAsync changes nothing (one block, copied at once)', async () => {
    const buffer = new ArrayBuffer(100000);
    new Uint8Array(buffer).set(TEXT.subarray(0, 100000));
    const compressor = new BZ2Compressor(1);
    const first = compressor.compressAsync(new Uint8Array(buffer));
    structuredClone(buffer, { transfer: [buffer] });
    const output = Buffer.concat([await first, await compressor.flushAsync()]);
    assert.deepEqual(output, compressSync(TEXT.subarray(0, 100000), 1));
  });
});

describe('BZ2Decompressor.decompressAsync', () => {
  it('equals the synchronous method, call for call, with maxLength', async () => {
    const a = new BZ2Decompressor();
    const b = new BZ2Decompressor();
    for (let offset = 0; !a.eof; offset += 50000) {
      const piece = a.needsInput ? STREAM.subarray(offset, offset + 50000) : Buffer.alloc(0);
      const expected = b.decompress(piece, 300000);
      assert.deepEqual(await a.decompressAsync(piece, 300000), expected);
      assert.equal(a.needsInput, b.needsInput);
      assert.equal(a.eof, b.eof);
      if (!a.needsInput) offset -= 50000; // the piece was kept inside: send nothing new
    }
  });

  it('returns everything without maxLength, in one promise', async () => {
    const decompressor = new BZ2Decompressor();
    assert.deepEqual(
      await decompressor.decompressAsync(Buffer.concat([STREAM, Buffer.from('xyz')])),
      TEXT,
    );
    assert.deepEqual(decompressor.unusedData, Buffer.from('xyz'));
    await rejectsWith(decompressor.decompressAsync('more'), 'ERR_BZ2_EOF');
  });

  it('queues calls in order and makes synchronous calls throw ERR_BZ2_BUSY meanwhile', async () => {
    const decompressor = new BZ2Decompressor();
    const pieces = [0, 1, 2, 3, 4, 5, 6].map((i) => STREAM.subarray(i * 40000, (i + 1) * 40000));
    const promises = pieces.map((piece) => decompressor.decompressAsync(piece));
    expectCode(() => decompressor.decompress(Buffer.alloc(0)), Error, 'ERR_BZ2_BUSY');
    const out = Buffer.concat(await Promise.all(promises));
    assert.deepEqual(out, TEXT.subarray(0, out.length));
    assert.deepEqual(Buffer.concat([out, decompressor.decompress(STREAM.subarray(280000))]), TEXT);
  });

  it('rejects ERR_BZ2_DATA on invalid data and stays failed', async () => {
    const decompressor = new BZ2Decompressor();
    await rejectsWith(decompressor.decompressAsync(Buffer.alloc(64, 7)), 'ERR_BZ2_DATA');
    await rejectsWith(decompressor.decompressAsync(STREAM), 'ERR_BZ2_DATA');
    expectCode(() => decompressor.decompress(STREAM), Error, 'ERR_BZ2_DATA');
  });
});
