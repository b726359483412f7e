/**
 * Deterministic test inputs. The golden files in test/fixtures/golden were made from exactly
 * these bytes (scripts/make-golden.ts), so the generators must never change: add new cases
 * instead, and regenerate.
 */

/** xorshift32: tiny, seeded, the same on every platform. */
export class Prng {
  #state: number;
  constructor(seed: number) {
    this.#state = seed >>> 0 || 1;
  }
  /** A uniform 32-bit unsigned integer. */
  next(): number {
    let x = this.#state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.#state = x >>> 0;
    return this.#state;
  }
  /** An integer in [0, n). */
  below(n: number): number {
    return this.next() % n;
  }
  bytes(length: number): Buffer {
    const out = Buffer.allocUnsafe(length);
    for (let i = 0; i < length; i++) out[i] = this.next() & 0xff;
    return out;
  }
}

/** Pseudo-English: words from a fixed vocabulary, lines of varying length. */
export function text(length: number, seed: number): Buffer {
  const rng = new Prng(seed);
  const vocabulary: string[] = [];
  for (let i = 0; i < 2000; i++) {
    let word = '';
    const letters = 1 + rng.below(9);
    for (let j = 0; j < letters; j++) word += String.fromCharCode(97 + rng.below(26));
    vocabulary.push(word);
  }
  const parts: string[] = [];
  let size = 0;
  let column = 0;
  while (size < length) {
    const word = vocabulary[rng.below(rng.below(4) === 0 ? 2000 : 100)] ?? 'x';
    const separator = column > 60 + rng.below(20) ? '\n' : ' ';
    column = separator === '\n' ? 0 : column + word.length + 1;
    parts.push(word, separator);
    size += word.length + 1;
  }
  return Buffer.from(parts.join(''), 'latin1').subarray(0, length);
}

/** Runs of random bytes with random lengths in [1, maxRun]: exercises libbzip2's RLE1 stage. */
export function runs(length: number, maxRun: number, seed: number): Buffer {
  const rng = new Prng(seed);
  const out = Buffer.allocUnsafe(length);
  let i = 0;
  while (i < length) {
    const byte = rng.next() & 0xff;
    const end = Math.min(length, i + 1 + rng.below(maxRun));
    out.fill(byte, i, end);
    i = end;
  }
  return out;
}

export interface GoldenCase {
  /** File-name-safe identifier. */
  readonly name: string;
  /** Levels at which the golden output exists. */
  readonly levels: readonly number[];
  readonly make: () => Buffer;
}

const ALL_LEVELS = [1, 2, 3, 4, 5, 6, 7, 8, 9] as const;

function runCase(length: number): GoldenCase {
  return {
    name: `run-${length}`,
    levels: ALL_LEVELS,
    make: () => Buffer.concat([Buffer.from('ab'), Buffer.alloc(length, 0x78), Buffer.from('yz')]),
  };
}

/** Random bytes around the size where libbzip2 ends a block at `level` (100000 * level - 19). */
function blockEdgeCase(level: number, delta: number): GoldenCase {
  const length = 100000 * level - 19 + delta;
  return {
    name: `random-${length}`,
    levels: [level],
    make: () => new Prng(1000 + level).bytes(length),
  };
}

/** Every input with golden output, and the levels it was made at. */
export const GOLDEN_CASES: readonly GoldenCase[] = [
  { name: 'empty', levels: ALL_LEVELS, make: () => Buffer.alloc(0) },
  { name: 'one-byte', levels: ALL_LEVELS, make: () => Buffer.from('a') },
  ...[1, 2, 3, 4, 5, 6, 250, 251, 252, 253, 254, 255, 256, 257, 258, 259, 260].map(runCase),
  ...ALL_LEVELS.flatMap((level) => [-1, 0, 1].map((delta) => blockEdgeCase(level, delta))),
  { name: 'random-300000', levels: ALL_LEVELS, make: () => new Prng(7).bytes(300000) },
  { name: 'zeros-4MiB', levels: ALL_LEVELS, make: () => Buffer.alloc(4 << 20) },
  { name: 'text-2500000', levels: ALL_LEVELS, make: () => text(2500000, 11) },
  { name: 'runs-1200000', levels: ALL_LEVELS, make: () => runs(1200000, 300, 13) },
];

/** `length` bytes over `alphabet` with no 4 equal in a row: block = input. */
export function noLongRuns(rng: Prng, length: number, alphabet: Uint8Array): Buffer {
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) {
    let byte: number;
    do byte = alphabet[rng.below(alphabet.length)] ?? 0;
    while (i >= 3 && out[i - 1] === byte && out[i - 2] === byte && out[i - 3] === byte);
    out[i] = byte;
  }
  return out;
}
