/** Output does not depend on how the input is cut into compress() calls, nor on its type. */
import assert from 'node:assert/strict';
import { BZ2Compressor, type BZ2Input } from '../lib/index';
import { golden, sha256 } from './helpers/golden';
import { caseInput } from './helpers/cases';
import { Prng } from './helpers/inputs';

/** Compresses `data` fed as `pieces` (each converted by `wrap`), returning the whole stream. */
function compressPieces(
  data: Buffer,
  level: number,
  cuts: readonly number[],
  wrap: (piece: Buffer) => BZ2Input = (piece) => piece,
): Buffer {
  const compressor = new BZ2Compressor(level);
  const out: Buffer[] = [];
  let start = 0;
  for (const cut of [...cuts, data.length]) {
    out.push(compressor.compress(wrap(data.subarray(start, cut))));
    start = cut;
  }
  out.push(compressor.flush());
  return Buffer.concat(out);
}

function randomCuts(length: number, rng: Prng, maxPiece: number): number[] {
  const cuts: number[] = [];
  let at = 0;
  for (;;) {
    // Mostly small pieces, now and then an empty one or one spanning blocks.
    const roll = rng.below(10);
    const piece = roll === 0 ? 0 : roll === 1 ? rng.below(maxPiece * 4) : rng.below(maxPiece);
    at += piece;
    if (at >= length) return cuts;
    cuts.push(at);
  }
}

describe('BZ2Compressor chunking', () => {
  const cases = [
    { name: 'text-2500000', level: 1 },
    { name: 'text-2500000', level: 9 },
    { name: 'runs-1200000', level: 2 },
    { name: 'runs-1200000', level: 7 },
    { name: 'random-99981', level: 1 },
    { name: 'random-99982', level: 1 },
    { name: 'random-899981', level: 9 },
  ];
  for (const { name, level } of cases) {
    for (const seed of [1, 2, 3]) {
      it(`random chunking ${seed} of ${name} at level ${level} equals bzip2 -${level}`, () => {
        const data = caseInput(name);
        const cuts = randomCuts(data.length, new Prng(seed * 7919 + level), 70000);
        const output = compressPieces(data, level, cuts);
        assert.equal(sha256(output), golden(name, level).sha256);
      });
    }
  }

  it('one byte at a time equals one call (runs cross every call boundary)', () => {
    const data = caseInput('runs-1200000').subarray(0, 30000);
    const cuts = Array.from({ length: data.length - 1 }, (_, i) => i + 1);
    assert.deepEqual(compressPieces(data, 1, cuts), compressPieces(data, 1, []));
  });

  it('pieces ending exactly at block edges equal one call', () => {
    const data = caseInput('random-899981');
    const cuts = [99981, 99982, 199962, 450000, 899980];
    assert.equal(sha256(compressPieces(data, 9, cuts)), golden('random-899981', 9).sha256);
  });

  it('empty calls change nothing', () => {
    const compressor = new BZ2Compressor(3);
    assert.equal(compressor.compress(Buffer.alloc(0)).length, 0);
    assert.equal(compressor.compress('').length, 0);
    const output = Buffer.concat([compressor.compress(Buffer.alloc(0)), compressor.flush()]);
    assert.equal(sha256(output), golden('empty', 3).sha256);
  });
});

describe('BZ2Compressor input types', () => {
  const data = caseInput('text-2500000').subarray(0, 350000);
  const level = 2;
  const cuts = randomCuts(data.length, new Prng(99), 40000);
  const reference = compressPieces(data, level, []);

  /** Copies `piece` into a larger buffer at an odd offset, so offsets must be respected. */
  function offsetCopy(piece: Buffer): { buffer: ArrayBuffer; offset: number } {
    const offset = 3;
    const buffer = new ArrayBuffer(offset + piece.length + 5);
    const bytes = new Uint8Array(buffer);
    bytes.fill(0xee);
    bytes.set(piece, offset);
    return { buffer, offset };
  }

  const wrappers: Record<string, (piece: Buffer) => BZ2Input> = {
    Buffer: (piece) => Buffer.from(piece),
    'Buffer slice of a pooled buffer': (piece) =>
      Buffer.concat([Buffer.from('zz'), piece]).subarray(2),
    Uint8Array: (piece) => {
      const { buffer, offset } = offsetCopy(piece);
      return new Uint8Array(buffer, offset, piece.length);
    },
    Uint8ClampedArray: (piece) => {
      const { buffer, offset } = offsetCopy(piece);
      return new Uint8ClampedArray(buffer, offset, piece.length);
    },
    Int8Array: (piece) => {
      const { buffer, offset } = offsetCopy(piece);
      return new Int8Array(buffer, offset, piece.length);
    },
    DataView: (piece) => {
      const { buffer, offset } = offsetCopy(piece);
      return new DataView(buffer, offset, piece.length);
    },
    ArrayBuffer: (piece) => {
      const copy = new ArrayBuffer(piece.length);
      new Uint8Array(copy).set(piece);
      return copy;
    },
    'Uint8Array over a SharedArrayBuffer': (piece) => {
      const shared = new SharedArrayBuffer(piece.length);
      const view = new Uint8Array(shared);
      view.set(piece);
      return view;
    },
    string: (piece) => piece.toString('latin1'), // the text is ASCII, so UTF-8 is the same bytes
  };

  for (const [type, wrap] of Object.entries(wrappers)) {
    it(`reads a ${type} as its bytes`, () => {
      assert.deepEqual(compressPieces(data, level, cuts, wrap), reference);
    });
  }

  it('reads multi-byte TypedArrays and DataViews as their bytes in memory order', () => {
    const words = new Uint32Array([0x01020304, 0xdeadbeef, 7, 0]);
    const floats = new Float64Array([Math.PI, -0, 1e300]);
    for (const view of [words, floats, new BigInt64Array([-1n, 2n ** 40n])]) {
      const bytes = Buffer.from(view.buffer, view.byteOffset, view.byteLength);
      const expected = compressPieces(bytes, 9, []);
      const compressor = new BZ2Compressor(9);
      assert.deepEqual(Buffer.concat([compressor.compress(view), compressor.flush()]), expected);
    }
  });

  it('encodes strings as UTF-8', () => {
    const text = 'héllo wörld — ✓ 𝄞';
    const compressor = new BZ2Compressor(9);
    const output = Buffer.concat([compressor.compress(text), compressor.flush()]);
    assert.deepEqual(output, compressPieces(Buffer.from(text, 'utf8'), 9, []));
  });

  it('never modifies the input', () => {
    const input = Buffer.from(data);
    const copy = Buffer.from(input);
    compressPieces(input, 9, [1000, 50000]);
    assert.deepEqual(input, copy);
  });

  it('returns fresh Buffers that share memory with nothing', () => {
    const compressor = new BZ2Compressor(1);
    const outputs = [compressor.compress(data), compressor.compress('x'), compressor.flush()];
    for (const output of outputs) {
      assert.ok(Buffer.isBuffer(output));
      assert.equal(output.byteOffset, 0);
      assert.equal(output.buffer.byteLength, output.length);
    }
  });
});
