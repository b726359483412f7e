/**
 * Deterministic inputs for the whole-stream codec identity suite (test/codec-identity.test.ts):
 * the blocks where a suffix sorter and a block writer go wrong. Each input is described by what
 * its blocks are after libbzip2's first run-length stage (RLE1: a run of 4-255 equal bytes
 * becomes 4 bytes and a count byte), since that, not the input, is what the codec sorts.
 *
 * The suite checks what the names claim (which blocks are exactly periodic, which make
 * libbzip2's main sort give up), so an edit here cannot quietly turn a family into something
 * easier. The expected bytes come from libbzip2 itself at test time, so the generators may
 * change freely.
 */
import { cutBlocks, nblockMax } from './boundaries';
import { noLongRuns, Prng, text } from './inputs';

/** One input and the levels it is compressed at. */
export interface CodecInput {
  /** Family and shape, with the size in bytes: unique, and what a failing test's title says. */
  readonly name: string;
  readonly family: Family;
  readonly data: Buffer;
  readonly levels: readonly number[];
  /**
   * For inputs made to have them: at `levels[0]`, whether each block (after RLE1) is a power
   * u^k of a shorter word, k ≥ 2, in block order.
   */
  readonly periodicBlocks?: readonly boolean[];
  /** For the tiny blocks: the entries of the one block. */
  readonly entries?: number;
  /** For the table-count edges: the one block's MTF symbols (nMTF, see {@link mtfSymbols}). */
  readonly symbols?: number;
  /** Made to exhaust libbzip2's work budget: each block at `levels[0]` uses the fallback sort. */
  readonly fallbackSort?: boolean;
}

export type Family =
  | 'tiny'
  | 'table-edge'
  | 'random'
  | 'runs'
  | 'period'
  | 'near-periodic'
  | 'two-symbol'
  | 'fibonacci'
  | 'thue-morse'
  | 'all-equal'
  | 'work-budget'
  | 'periodic-blocks';

// --- RLE1 and periods, to check what the generators claim ----------------------------------------

/** The block entries RLE1 makes of `data` (runs stored 255 bytes at a time, as libbzip2 does). */
export function rle1(data: Uint8Array): Uint8Array {
  const out: number[] = [];
  let i = 0;
  while (i < data.length) {
    const byte = data[i] ?? 0;
    let length = 1;
    while (length < 255 && data[i + length] === byte) length++;
    for (let k = 0; k < Math.min(length, 4); k++) out.push(byte);
    if (length >= 4) out.push(length - 4);
    i += length;
  }
  return Uint8Array.from(out);
}

/** The block entries of each block libbzip2 makes of `data` at `level`. */
export function blockEntries(data: Uint8Array, level: number): Uint8Array[] {
  // A block always starts with a fresh run (see boundaries.ts), so RLE1 of its bytes is its block.
  return cutBlocks(data, level).map((block) => rle1(data.subarray(block.start, block.end)));
}

/** The smallest period of `word` (its length when it has no shorter one). */
export function smallestPeriod(word: Uint8Array): number {
  const n = word.length;
  if (n === 0) return 0;
  const border = new Int32Array(n); // KMP failure function
  for (let i = 1, k = 0; i < n; i++) {
    while (k > 0 && word[i] !== word[k]) k = border[k - 1] ?? 0;
    if (word[i] === word[k]) k++;
    border[i] = k;
  }
  return n - (border[n - 1] ?? 0);
}

/** Whether `word` is u^k for a shorter u (k ≥ 2): the blocks the codec hands to BZ2_blockSort. */
export function isPower(word: Uint8Array): boolean {
  const period = smallestPeriod(word);
  return period < word.length && word.length % period === 0;
}

/**
 * The symbols BZ2_compressBlock codes for `block` (nMTF): the move-to-front indexes of the last
 * column of its sorted rotations, runs of index 0 as RUNA/RUNB digits, and the end-of-block
 * symbol. Its Huffman table count follows from it ({@link tableCount}). A plain rotation sort:
 * for small blocks whose rotations all differ (no periodic ones).
 */
export function mtfSymbols(block: Uint8Array): number {
  const n = block.length;
  const at = (i: number): number => block[i % n] ?? 0;
  const rotations = Array.from({ length: n }, (_, i) => i).sort((a, b) => {
    for (let k = 0; k < n; k++) {
      if (at(a + k) !== at(b + k)) return at(a + k) - at(b + k);
    }
    return 0;
  });
  const order = [...new Set(block)].sort((a, b) => a - b);
  let symbols = 1; // the end of block
  let zeros = 0;
  const flushZeros = (): void => {
    // zeros + 1 in bijective base 2: one symbol a digit.
    for (let left = zeros - 1; ; left = (left - 2) >> 1) {
      symbols++;
      if (left < 2) break;
    }
    zeros = 0;
  };
  for (const start of rotations) {
    const byte = at(start + n - 1);
    const index = order.indexOf(byte);
    if (index === 0) {
      zeros++;
      continue;
    }
    if (zeros > 0) flushZeros();
    order.splice(index, 1);
    order.unshift(byte);
    symbols++;
  }
  if (zeros > 0) flushZeros();
  return symbols;
}

/** How many Huffman tables libbzip2 codes a block of `symbols` MTF symbols with. */
export function tableCount(symbols: number): number {
  if (symbols < 200) return 2;
  if (symbols < 600) return 3;
  if (symbols < 1200) return 4;
  if (symbols < 2400) return 5;
  return 6;
}

/** The table count recorded in the first block of a bzip2 stream (after its symbol map). */
export function firstBlockTables(stream: Uint8Array): number {
  const bit = (i: number): number => ((stream[i >> 3] ?? 0) >> (7 - (i & 7))) & 1;
  const bits = (from: number, count: number): number => {
    let value = 0;
    for (let i = 0; i < count; i++) value = value * 2 + bit(from + i);
    return value;
  };
  // 'BZh' and the level, the block magic, its CRC, the randomised bit, origPtr.
  let at = 32 + 48 + 32 + 1 + 24;
  const ranges = bits(at, 16);
  at += 16;
  for (let i = 0; i < 16; i++) if (ranges & (0x8000 >> i)) at += 16;
  return bits(at, 3);
}

// --- Generators ----------------------------------------------------------------------------------

const AB = Buffer.from('ab');
const ALL_BYTES = Buffer.from(Array.from({ length: 256 }, (_, i) => i));

/** `length` bytes of `word` repeated (the last copy cut short). */
function repeat(word: Uint8Array, length: number): Buffer {
  const out = Buffer.alloc(length);
  for (let at = 0; at < length; at += word.length) out.set(word.subarray(0, length - at), at);
  return out;
}

/** Whether `word`, repeated, has 4 equal bytes in a row (RLE1 would change it). */
function cyclicRun(word: Uint8Array): boolean {
  const n = word.length;
  if (n < 2) return true;
  for (let i = 0; i < n; i++) {
    const b = word[i];
    if (word[(i + 1) % n] === b && word[(i + 2) % n] === b && word[(i + 3) % n] === b) return true;
  }
  return false;
}

/** A primitive word of `length` over `alphabet` whose powers RLE1 leaves alone (length ≥ 2). */
function primitiveWord(rng: Prng, length: number, alphabet: Uint8Array): Buffer {
  for (;;) {
    const word = noLongRuns(rng, length, alphabet);
    if (!cyclicRun(word) && !isPower(word)) return word;
  }
}

/**
 * Runs of bytes from `alphabet` (neighbouring runs differ) whose RLE1 entries sum to exactly
 * `entries`: runs of 1-3 bytes (1-3 entries) and, when `long`, of 4-255 (5 entries).
 */
function runsWithEntries(rng: Prng, entries: number, alphabet: Uint8Array, long: boolean): Buffer {
  const out: number[] = [];
  let left = entries;
  let last = -1;
  let madeLong = false;
  while (left > 0) {
    let byte: number;
    do byte = alphabet[rng.below(alphabet.length)] ?? 0;
    while (byte === last);
    // At least one long run when there is room for one, more at random.
    const wantLong: boolean = long && left >= 5 && (!madeLong || rng.below(3) === 0);
    const length = wantLong ? 4 + rng.below(252) : 1 + rng.below(Math.min(3, left));
    for (let k = 0; k < length; k++) out.push(byte);
    left -= wantLong ? 5 : length;
    madeLong ||= wantLong;
    last = byte;
  }
  return Buffer.from(out);
}

/** Runs of random bytes with lengths 1..maxRun. */
function runs(rng: Prng, length: number, maxRun: number): Buffer {
  const out = Buffer.alloc(length);
  let last = -1;
  for (let at = 0; at < length;) {
    let byte: number;
    do byte = rng.below(256);
    while (byte === last);
    const end = Math.min(length, at + 1 + rng.below(maxRun));
    out.fill(byte, at, end);
    at = end;
    last = byte;
  }
  return out;
}

/** The Fibonacci word (a → ab, b → a) cut to `length`: aperiodic, and no run longer than 2. */
function fibonacci(length: number): Buffer {
  let [previous, word] = ['a', 'ab'];
  while (word.length < length) [previous, word] = [word, word + previous];
  return Buffer.from(word.slice(0, length), 'latin1');
}

/** The Thue–Morse word over a, b cut to `length`: overlap-free, runs of at most 2. */
function thueMorse(length: number): Buffer {
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) {
    let bits = 0;
    for (let x = i; x > 0; x &= x - 1) bits++;
    out[i] = bits % 2 === 0 ? 0x61 : 0x62;
  }
  return out;
}

/** `data` with the byte at each of `at` changed (to the next byte value). */
function changed(data: Buffer, at: readonly number[]): Buffer {
  const out = Buffer.from(data);
  for (const i of at) out[i] = ((out[i] ?? 0) + 1) & 0xff;
  return out;
}

function size(bytes: number): string {
  if (bytes >= 1 << 20 && bytes % (1 << 20) === 0) return `${bytes >> 20} MiB`;
  return `${bytes} B`;
}

/** Levels for the inputs that fit one block at any level: each at one level, in turn. */
let turn = 0;
function nextLevel(): number[] {
  return [1 + (turn++ % 9)];
}

function make(): CodecInput[] {
  const inputs: CodecInput[] = [];
  const add = (
    family: Family,
    shape: string,
    data: Buffer,
    levels: readonly number[] = nextLevel(),
    extra: Pick<CodecInput, 'periodicBlocks' | 'fallbackSort' | 'entries' | 'symbols'> = {},
  ): void => {
    inputs.push({
      name: `${family} ${shape} (${size(data.length)})`,
      family,
      data,
      levels,
      ...extra,
    });
  };
  const rng = new Prng(20240611);

  // Blocks of 1..20 entries: distinct neighbours, runs with count bytes, two symbols.
  for (let n = 1; n <= 20; n++) {
    const entries = { entries: n };
    add('tiny', `${n} entries, no runs`, noLongRuns(rng, n, ALL_BYTES), nextLevel(), entries);
    const abc = Buffer.from('abc');
    add(
      'tiny',
      `${n} entries, runs of 1-255`,
      runsWithEntries(rng, n, abc, true),
      nextLevel(),
      entries,
    );
    add('tiny', `${n} entries over a, b`, runsWithEntries(rng, n, AB, false), nextLevel(), entries);
  }

  // One MTF symbol either side of each change in libbzip2's Huffman table count.
  const sixteen = Buffer.from('0123456789abcdef');
  for (const edge of [200, 600, 1200, 2400]) {
    for (const target of [edge - 1, edge]) {
      let length = target;
      let block = noLongRuns(rng, length, sixteen);
      for (let symbols = mtfSymbols(block); symbols !== target; symbols = mtfSymbols(block)) {
        length += symbols < target ? 1 : -1;
        block = noLongRuns(rng, length, sixteen);
      }
      add('table-edge', `${target} MTF symbols`, block, nextLevel(), { symbols: target });
    }
  }

  // Random: small, and over block boundaries at levels 1, 2 and 9.
  add('random', 'bytes', rng.bytes(1000));
  add('random', 'bytes', rng.bytes(30000));
  add('random', 'bytes, 3 blocks', rng.bytes(250000), [1]);
  add('random', 'bytes, 2 blocks', rng.bytes(260000), [2]);
  add('random', 'bytes, 2 blocks', rng.bytes(950000), [9]);
  add('random', 'over a, c, g, t, 2 blocks', noLongRuns(rng, 150000, Buffer.from('acgt')), [1]);

  // Runs: RLE1's count bytes everywhere.
  const everyLength = Buffer.concat(
    Array.from({ length: 520 }, (_, i) => Buffer.alloc(i + 1, i % 2 === 0 ? 0x41 : 0x42)),
  );
  add('runs', 'of every length 1-520', everyLength);
  add('runs', 'of 1-300', runs(rng, 60000, 300));
  add('runs', 'of 1-8, 3 blocks', runs(rng, 250000, 8), [1]);
  add('runs', 'of 1-20, 2 blocks', runs(rng, 500000, 20), [2]);

  // Periods of every small length p: u^2, u^3, u^k of about 3000 bytes (periodic blocks), and
  // u^k with half of u after it (a long border, not periodic).
  for (let p = 1; p <= 40; p++) {
    const word = p === 1 ? Buffer.from('x') : primitiveWord(rng, p, p % 2 === 0 ? ALL_BYTES : AB);
    const k = Math.ceil(3000 / p);
    const periodic = { periodicBlocks: [true] };
    add('period', `${p}, u^2`, repeat(word, 2 * p), nextLevel(), periodic);
    add('period', `${p}, u^3`, repeat(word, 3 * p), nextLevel(), periodic);
    // x^3000 is not: RLE1 leaves a shorter last run.
    add('period', `${p}, u^${k}`, repeat(word, k * p), nextLevel(), { periodicBlocks: [p > 1] });
    if (p > 1) {
      add('period', `${p}, u^${k} + half of u`, repeat(word, k * p + (p >> 1)), nextLevel(), {
        periodicBlocks: [false],
      });
    }
  }
  for (const p of [63, 64, 127, 128, 255, 256, 1000]) {
    const word = primitiveWord(rng, p, p % 2 === 0 ? ALL_BYTES : AB);
    const periodic = { periodicBlocks: [true] };
    const k = Math.ceil(8000 / p);
    add('period', `${p}, u^2`, repeat(word, 2 * p), nextLevel(), periodic);
    add('period', `${p}, u^${k}`, repeat(word, k * p), nextLevel(), periodic);
  }

  // Near-periodic: u^k with its first, a middle or its last byte changed; over 10000 entries,
  // where libbzip2 tries its main sort first (smaller blocks go straight to the fallback).
  for (const p of [1, 2, 3, 4, 5, 7, 8, 16, 31, 64, 100, 257, 1000]) {
    const word = p === 1 ? Buffer.from('y') : primitiveWord(rng, p, p % 2 === 0 ? ALL_BYTES : AB);
    const power = repeat(word, Math.ceil(12000 / p) * p);
    const n = power.length;
    add('near-periodic', `period ${p}, first byte changed`, changed(power, [0]));
    add('near-periodic', `period ${p}, byte ${n >> 1} changed`, changed(power, [n >> 1]));
    add('near-periodic', `period ${p}, last byte changed`, changed(power, [n - 1]));
  }

  // Two symbols.
  for (const n of [20, 200, 2000, 20000]) add('two-symbol', 'random a, b', noLongRuns(rng, n, AB));
  add('two-symbol', 'random a, b with runs, 2 blocks', randomAB(rng, 160000), [1]);
  add('two-symbol', '0x00, 0xff, 2 blocks', noLongRuns(rng, 120000, Buffer.from([0, 255])), [1]);

  // Fibonacci and Thue–Morse words, small to two blocks (from about 10 kB on, libbzip2's main
  // sort gives up on them too).
  const fallback = { fallbackSort: true };
  for (let [a, b] = [2, 3]; a <= 75025; [a, b] = [b, a + b]) add('fibonacci', 'word', fibonacci(a));
  add('fibonacci', 'word, exactly one level-1 block', fibonacci(nblockMax(1)), [1]);
  add('fibonacci', 'word, 2 blocks', fibonacci(121393), [1], fallback);
  add('fibonacci', 'word prefix, 2 blocks', fibonacci(210000), [2], fallback);
  for (let n = 1; n <= 65536; n *= 2) add('thue-morse', 'word', thueMorse(n));
  add('thue-morse', 'word, 2 blocks', thueMorse(1 << 17), [1], fallback);
  add('thue-morse', 'word prefix, 2 blocks', thueMorse(210000), [2], fallback);

  // All equal: around RLE1's 4 and 255, then whole periodic blocks; 255 × k equal bytes are the
  // block (b, b, b, b, 251)^k.
  for (const n of [1, 2, 3, 4, 5, 6, 8, 254, 255, 256, 259, 260, 510, 1020]) {
    add('all-equal', 'x', Buffer.alloc(n, 0x78));
  }
  add('all-equal', '0xff', Buffer.alloc(255 * 2352, 0xff), [1], { periodicBlocks: [true] });
  add('all-equal', 'zeros', Buffer.alloc(255 * 4112), [9], { periodicBlocks: [true] });
  add('all-equal', 'zeros, 3 blocks', Buffer.alloc(12 << 20), [1], {
    periodicBlocks: [true, true, false],
    ...fallback,
  });

  // Long near-periodic text: libbzip2's main sort runs out of budget and gives up.
  const nearText = (length: number, segment: number, seed: number, changes: number): Buffer =>
    changed(
      repeat(text(segment, seed), length),
      Array.from({ length: changes }, () => rng.below(length)),
    );
  add(
    'work-budget',
    '5000 B text repeated, 5 changes',
    nearText(250000, 5000, 1, 5),
    [1],
    fallback,
  );
  add('work-budget', '997 B text repeated', nearText(260000, 997, 2, 0), [2], fallback);
  add(
    'work-budget',
    '20000 B text repeated, 9 changes',
    nearText(950000, 20000, 3, 9),
    [9],
    fallback,
  );

  // Short patterns repeated past block boundaries, so that full blocks are exactly periodic
  // (the period divides the block's entries: 99981 = 27 × 7 × 23², 199981 = 31 × 6451), also
  // when a block starts inside the pattern; and 'ab', whose full blocks are not (99981 is odd).
  // A run of 2 or 3 equal bytes is stored as one step, so a block can end 1-4 entries late:
  // 'abcccc' fills a level-9 block with exactly 128569 copies.
  const pattern = (
    shape: string,
    data: Buffer,
    level: number,
    periodicBlocks: readonly boolean[],
  ): void => {
    add('periodic-blocks', shape, data, [level], { periodicBlocks, ...fallback });
  };
  const abc = Buffer.from('abc');
  pattern("'abc' repeated", repeat(abc, 250000), 1, [true, true, false]);
  pattern("'z' then 'abc' repeated", Buffer.concat([Buffer.from('z'), repeat(abc, 250000)]), 1, [
    false,
    true,
    false,
  ]);
  pattern('7-byte word repeated', repeat(primitiveWord(rng, 7, ALL_BYTES), 250000), 1, [
    true,
    true,
    false,
  ]);
  pattern("'aaaabc' repeated", repeat(Buffer.from('aaaabc'), 250000), 1, [true, true, false]);
  pattern("'ab' repeated", repeat(AB, 250000), 1, [false, false, true]);
  pattern('31-byte word repeated', repeat(primitiveWord(rng, 31, ALL_BYTES), 260000), 2, [
    true,
    false,
  ]);
  pattern("'abcccc' repeated", repeat(Buffer.from('abcccc'), 800000), 9, [true, false]);
  return inputs;
}

/** Random a, b bytes, runs of any length: RLE1 shortens the runs of 4 or more. */
function randomAB(rng: Prng, length: number): Buffer {
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) out[i] = rng.below(2) === 0 ? 0x61 : 0x62;
  return out;
}

/** Every input, in a fixed order (made once per process; never modify their bytes). */
export const CODEC_INPUTS: readonly CodecInput[] = make();
