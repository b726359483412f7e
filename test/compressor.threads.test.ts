/**
 * API.md section 1: `new BZ2Compressor(level, { threads })`. The option is validated like
 * compressSync's `options.threads`; the bytes never change with it, call for call; the call
 * rules (ERR_BZ2_BUSY between sync and async calls) hold at any thread count; and with one
 * thread the synchronous calls compress on the calling thread.
 */
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { BZ2Compressor, compressSync } from '../lib/index';
import { expectCode } from './helpers/assert';
import { caseInput } from './helpers/cases';
import { golden, sha256 } from './helpers/golden';
import { Prng } from './helpers/inputs';
import { LIB, runNode } from './helpers/node-process';
import { ReferenceCompressor } from './helpers/reference';

const THREADS = [1, 2, 3, 4] as const;

/** The error `fn` throws (it must throw). */
function thrown(fn: () => unknown): Error & { code?: unknown } {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof Error);
    return error;
  }
  assert.fail('did not throw');
}

/** Asserts that BZ2Compressor throws exactly what compressSync throws for the same options. */
function sameAsCompressSync(options: unknown, Class: ErrorConstructor, code: string): void {
  const expected = thrown(() => compressSync('x', options as never));
  assert.ok(expected instanceof Class, `compressSync: ${String(expected)}`);
  assert.equal(expected.code, code);
  expectCode(() => new BZ2Compressor(9, options as never), Class, code, expected.message);
}

describe('BZ2Compressor threads option', () => {
  for (const bad of ['2', null, true, {}, [], 2n, Symbol('2'), () => 2]) {
    it(`rejects threads ${inspect(bad)} as ERR_INVALID_ARG_TYPE, as compressSync does`, () => {
      sameAsCompressSync({ threads: bad }, TypeError, 'ERR_INVALID_ARG_TYPE');
      assert.match(
        thrown(() => new BZ2Compressor(1, { threads: bad as never })).message,
        /"options.threads"/,
      );
    });
  }

  for (const bad of [0, -1, 1.5, NaN, Infinity, -Infinity, 1025, 2 ** 53]) {
    it(`rejects threads ${bad} as ERR_OUT_OF_RANGE, as compressSync does`, () => {
      sameAsCompressSync({ threads: bad }, RangeError, 'ERR_OUT_OF_RANGE');
      assert.match(
        thrown(() => new BZ2Compressor(1, { threads: bad })).message,
        /options\.threads must be between 1 and 1024/,
      );
    });
  }

  for (const bad of ['{}', null, true, [], 2n, Symbol('o'), () => ({})]) {
    it(`rejects options ${inspect(bad)} as ERR_INVALID_ARG_TYPE, as compressSync does`, () => {
      sameAsCompressSync(bad, TypeError, 'ERR_INVALID_ARG_TYPE');
    });
  }

  it('rejects a number as options (the level has its own argument)', () => {
    expectCode(
      () => new BZ2Compressor(9, 4 as never),
      TypeError,
      'ERR_INVALID_ARG_TYPE',
      /"options"/,
    );
  });

  it('checks compresslevel first, then options', () => {
    expectCode(
      () => new BZ2Compressor(0, { threads: 0 }),
      RangeError,
      'ERR_OUT_OF_RANGE',
      /compresslevel/,
    );
  });

  it('takes undefined, {}, an undefined threads and every value from 1 to 1024', () => {
    const empty = golden('empty', 9).sha256;
    for (const options of [
      undefined,
      {},
      { threads: undefined },
      { threads: 1 },
      { threads: 1024 },
    ]) {
      assert.equal(sha256(new BZ2Compressor(9, options).flush()), empty, inspect(options));
    }
    assert.equal(sha256(new BZ2Compressor(undefined, { threads: 3 }).flush()), empty);
  });
});

/** `data` cut at `cuts`, then the rest. */
function piecesOf(data: Buffer, cuts: readonly number[]): Buffer[] {
  const pieces: Buffer[] = [];
  let start = 0;
  for (const cut of [...cuts, data.length]) {
    pieces.push(data.subarray(start, cut));
    start = cut;
  }
  return pieces;
}

/** Mostly small pieces, sometimes empty ones and ones that span blocks. */
function randomCuts(length: number, rng: Prng, maxPiece: number): number[] {
  const cuts: number[] = [];
  for (let at = 0; ;) {
    const roll = rng.below(10);
    at += roll === 0 ? 0 : roll === 1 ? rng.below(maxPiece * 4) : rng.below(maxPiece);
    if (at >= length) return cuts;
    cuts.push(at);
  }
}

describe('BZ2Compressor gives the same bytes with any number of threads', () => {
  const cases = [
    { name: 'text-2500000', level: 1, bytes: 1_200_000 },
    { name: 'runs-1200000', level: 2, bytes: 1_200_000 },
    { name: 'random-899981', level: 9, bytes: 899_981 },
  ];
  for (const { name, level, bytes } of cases) {
    for (const threads of THREADS) {
      it(`${name} at level ${level}, ${threads} thread(s), random chunks: libbzip2's output, as it comes`, () => {
        const data = caseInput(name).subarray(0, bytes);
        const pieces = piecesOf(
          data,
          randomCuts(data.length, new Prng(level * 31 + threads), 90000),
        );
        const ours = new BZ2Compressor(level, { threads });
        const reference = new ReferenceCompressor(level);
        const outputs: Buffer[] = [];
        const references: Buffer[] = [];
        let ahead = 0;
        pieces.forEach((piece, i) => {
          const output = ours.compress(piece);
          const expected = reference.compress(piece);
          // Output comes when libbzip2's does (a block once it is cut, the header with the
          // first); ours holds no bits back, libbzip2 up to 31 in its bit buffer.
          assert.equal(output.length > 0, expected.length > 0, `call ${i}`);
          outputs.push(output);
          references.push(expected);
          ahead = Buffer.concat(outputs).length - Buffer.concat(references).length;
          assert.ok(ahead >= 0 && ahead <= 3, `call ${i}: ${ahead} bytes ahead`);
        });
        outputs.push(ours.flush());
        references.push(reference.flush());
        const whole = Buffer.concat(outputs);
        assert.deepEqual(whole, Buffer.concat(references));
        if (bytes === caseInput(name).length)
          assert.equal(sha256(whole), golden(name, level).sha256);
      });
    }
  }

  for (const threads of THREADS) {
    it(`the whole of text-2500000 at level 1 in 65 kB chunks, ${threads} thread(s), equals bzip2 -1`, () => {
      const data = caseInput('text-2500000');
      const compressor = new BZ2Compressor(1, { threads });
      const parts: Buffer[] = [];
      for (let at = 0; at < data.length; at += 65536)
        parts.push(compressor.compress(data.subarray(at, at + 65536)));
      parts.push(compressor.flush());
      assert.equal(sha256(Buffer.concat(parts)), golden('text-2500000', 1).sha256);
    });
  }
});

describe('BZ2Compressor call rules with threads', () => {
  // Four blocks at level 9, random: each takes a pool thread long enough that work is still
  // running when a promise settles.
  const DATA = new Prng(77).bytes(3_700_000);
  let expected: Buffer;
  before(() => {
    const reference = new ReferenceCompressor(9);
    expected = Buffer.concat([reference.compress(DATA), reference.flush()]);
  });

  for (const threads of THREADS) {
    it(`${threads} thread(s): sync calls while async ones are pending throw ERR_BZ2_BUSY and change nothing`, async () => {
      const compressor = new BZ2Compressor(9, { threads });
      const first = compressor.compressAsync(DATA.subarray(0, 2_000_000));
      expectCode(() => compressor.compress('x'), Error, 'ERR_BZ2_BUSY');
      expectCode(() => compressor.flush(), Error, 'ERR_BZ2_BUSY');
      const second = compressor.compressAsync(DATA.subarray(2_000_000));
      expectCode(() => compressor.compress(DATA), Error, 'ERR_BZ2_BUSY');
      const parts = [await first, await second];
      // Settled: the blocks may still be compressing on the pool, and sync calls work again.
      parts.push(compressor.flush());
      assert.deepEqual(Buffer.concat(parts), expected);
      expectCode(() => compressor.compress('x'), Error, 'ERR_BZ2_FLUSHED');
    });

    it(`${threads} thread(s): sync and async calls taking turns keep the blocks in order`, async () => {
      const compressor = new BZ2Compressor(9, { threads });
      const parts: Buffer[] = [];
      // Each async call cuts a block that may still be compressing on the pool when the next,
      // synchronous, call cuts and compresses the following one.
      const pieces = piecesOf(DATA, [950_000, 1_900_000]);
      for (const [i, piece] of pieces.entries()) {
        parts.push(
          i % 2 === 0 ? await compressor.compressAsync(piece) : compressor.compress(piece),
        );
      }
      // The last block is small: compressed on this thread (with one thread), it would be ready
      // before the big ones on the pool if it did not wait for them.
      parts.push(threads % 2 === 1 ? compressor.flush() : await compressor.flushAsync());
      assert.deepEqual(Buffer.concat(parts), expected);
    });
  }
});

describe('BZ2Compressor with one thread', () => {
  it('compresses on the calling thread in its synchronous calls: they start no thread', function () {
    if (process.platform !== 'linux') this.skip(); // /proc/self/task
    // In a fresh process, whose pool has no thread yet: the threads of the process are counted
    // around synchronous compression of several blocks (a pool thread, once started, stays),
    // then around one asynchronous call, which must start the pool's thread.
    const run = runNode(
      `require('tsx/cjs');
       const { readdirSync } = require('node:fs');
       const { BZ2Compressor, compressSync } = require(${JSON.stringify(LIB)});
       const threads = () => readdirSync('/proc/self/task').length;
       const data = require('node:crypto').randomBytes(350000);
       const c0 = new BZ2Compressor(1);
       c0.flush();
       const before = threads();
       const c = new BZ2Compressor(1);
       const out = [c.compress(data), c.compress(data), c.flush()];
       compressSync(data, { level: 1, threads: 1 });
       const afterSync = threads();
       new BZ2Compressor(1).compressAsync(data).then(() => {
         console.log(JSON.stringify({ before, afterSync, afterAsync: threads(),
           blocks: Buffer.concat(out).length > 700000 }));
       });`,
      { timeoutSeconds: 60 },
    );
    assert.equal(run.status, 0, run.stderr);
    const counts = JSON.parse(run.stdout) as {
      before: number;
      afterSync: number;
      afterAsync: number;
      blocks: boolean;
    };
    assert.ok(counts.blocks);
    assert.equal(counts.afterSync, counts.before, 'a synchronous call started a thread');
    assert.equal(counts.afterAsync, counts.before + 1, 'the asynchronous call ran elsewhere');
  });
});
