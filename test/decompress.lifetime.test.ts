/**
 * Parallel decompression and lifetimes: an abort or a destroyed stream drops the blocks in
 * flight (their threads finish on memory the decoder no longer owns but still shares with them),
 * takes every byte it told V8 about off the books, and leaves the pool able to work.
 */
import assert from 'node:assert/strict';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { compressSync, createDecompressStream, decompress, decompressSync } from '../lib/index';
import { native } from '../lib/native';
import { Prng, text } from './helpers/inputs';
import { settle, settleBelow } from './helpers/memory';

// Text blocks (about 1 MB of output each) and blocks of random bytes (a slow decode each).
const TEXT = text(6_000_000, 41);
const TEXT_STREAM = compressSync(TEXT, 9);
const RANDOM = new Prng(42).bytes(3_000_000);
const RANDOM_STREAM = compressSync(RANDOM, 5);

describe('parallel decompression: aborts and destroyed streams', function () {
  this.timeout(120_000);

  it('an abort rejects at once, drops the blocks in flight and reports no memory after', async () => {
    await settle();
    const before = native.externalMemory();
    for (let i = 0; i < 20; i++) {
      const controller = new AbortController();
      const decoding = decompress(i % 2 ? TEXT_STREAM : RANDOM_STREAM, {
        threads: 4,
        signal: controller.signal,
      });
      setImmediate(() => {
        controller.abort();
      });
      await assert.rejects(decoding, { name: 'AbortError' });
    }
    // Nothing held once the dropped blocks have run out on the pool: the decoders' input, jobs
    // and outputs went off V8's books.
    const after = await settleBelow(before + 1_000_000);
    assert.ok(after - before < 1_000_000, `${after - before}`);
    // And the pool still decodes.
    assert.deepEqual(await decompress(TEXT_STREAM, { threads: 2 }), TEXT);
    assert.deepEqual(decompressSync(RANDOM_STREAM, { threads: 3 }), RANDOM);
  });

  it('a stream destroyed after its first output lets its blocks go', async () => {
    await settle();
    const before = native.externalMemory();
    for (const threads of [2, 4]) {
      const decoder = createDecompressStream({ threads });
      let seen = 0;
      const sink = new Writable({
        write(chunk: Buffer, _encoding, callback) {
          seen += chunk.length;
          callback();
          decoder.destroy(new Error('enough'));
        },
      });
      await assert.rejects(pipeline(Readable.from([TEXT_STREAM]), decoder, sink), /enough/);
      assert.ok(seen > 0 && seen < TEXT.length, `${seen}`);
    }
    const after = await settleBelow(before + 1_000_000);
    assert.ok(after - before < 1_000_000, `${after - before}`);
  });

  it('an error in one stream of many leaves the others exact', async () => {
    const bad = Buffer.from(TEXT_STREAM);
    const middle = bad.length >> 1;
    bad.writeUInt8(bad.readUInt8(middle) ^ 0x10, middle); // a corrupt block in the middle
    const runs = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) =>
        decompress(i % 2 ? bad : TEXT_STREAM, { threads: 2 + (i % 3) }),
      ),
    );
    runs.forEach((run, i) => {
      if (i % 2) {
        assert.equal(run.status, 'rejected');
        assert.equal((run.reason as { code?: string }).code, 'ERR_BZ2_DATA');
      } else {
        assert.equal(run.status, 'fulfilled');
        assert.ok(run.value.equals(TEXT));
      }
    });
  });

  it('reports the memory its blocks in flight hold while a stream waits for its reader', async () => {
    await settle();
    const before = native.externalMemory();
    const decoder = createDecompressStream({ threads: 2 });
    decoder.write(TEXT_STREAM);
    // Nobody reads: the decoder fills its window and stops; what it holds is reported once its
    // steps are done.
    let held = 0;
    for (let i = 0; i < 100 && held <= 2_000_000; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      held = native.externalMemory() - before;
    }
    assert.ok(held > 2_000_000, `${held}`);
    decoder.destroy();
    await settle();
    // (The destroyed stream, still referenced here, keeps a MiB of output it had buffered.)
    assert.ok(native.externalMemory() - before < 2_000_000, `${native.externalMemory() - before}`);
  });
});
