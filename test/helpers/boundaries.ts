/**
 * Where libbzip2 1.0.8 ends its blocks, modelled in TypeScript, and deterministic inputs whose
 * block boundaries fall in chosen places around runs. The block-parallel compressor must cut the
 * input exactly where libbzip2 does (every block's CRC, and so every output byte, depends on it),
 * so these inputs aim at the places where a cutter can be off by a byte.
 *
 * libbzip2's rule (bzlib.c: copy_input_until_stop, ADD_CHAR_TO_BLOCK, add_pair_to_block):
 * - The first stage (RLE1) turns a run of 1-3 equal bytes into 1-3 block entries and a run of
 *   4-255 into 4 bytes and a count, 5 entries. A run is stored ("flushed") when a different byte
 *   arrives, or when it has 255 bytes and one more arrives (which starts a new run of the same
 *   byte).
 * - `nblock` counts the entries of flushed runs only; the run in progress is not counted.
 * - Before each input byte, and after the last byte given with BZ_RUN, a block with
 *   `nblock >= nblockMAX` (100000 * level - 19) is ended without flushing the run in progress:
 *   that run carries over into the next block. A block's CRC covers exactly the bytes of the runs
 *   flushed into it.
 * - At BZ_FINISH the run in progress is flushed into the last block.
 *
 * Since `nblock` grows only when a run is flushed, and a flush happens on the byte that starts
 * the next run, the run carried over at a cut is always exactly one byte long: a block boundary
 * always lies one byte before the offset where libbzip2 stopped reading.
 *
 * The generators here must never change without regenerating test/fixtures/parallel
 * (scripts/make-parallel-golden.ts); add new inputs instead.
 */
import { Prng, text, type GoldenCase } from './inputs';

/** libbzip2's block limit in entries at `level`. */
export function nblockMax(level: number): number {
  return 100000 * level - 19;
}

/** RLE1 entries of one stored run of `length` (1..255) bytes. */
export function runEntries(length: number): number {
  if (length < 1 || length > 255) throw new RangeError(`run length ${length}`);
  return length <= 3 ? length : 5;
}

/** RLE1 entries of `length` equal bytes after a different byte: libbzip2 stores 255 at a time. */
export function entriesOfBytes(length: number): number {
  const rest = length % 255;
  return Math.floor(length / 255) * 5 + (rest === 0 ? 0 : runEntries(rest));
}

/** One block as libbzip2 makes it. */
export interface Block {
  /** The block's input bytes are [start, end); its CRC covers exactly these. */
  readonly start: number;
  readonly end: number;
  /** Entries in the block after RLE1 (what the BWT sorts). */
  readonly nblock: number;
  /**
   * The input offset before which libbzip2 found the block full, or undefined for the last block
   * (ended by BZ_FINISH). The bytes [end, cutAt) are the run in progress that went on into the
   * next block.
   */
  readonly cutAt: number | undefined;
  /** Length of the run stored last into this block, 1..255 (0 if the block is empty). */
  readonly lastRun: number;
  /** `nblock` before that last run was stored. */
  readonly nblockBeforeLastRun: number;
}

/**
 * The blocks libbzip2 1.0.8 makes of `data` at `level` when all of it is given with BZ_RUN and
 * the stream is then finished (as `bzip2 -N`, Python's bz2.compress and BZ2Compressor do). A
 * line-by-line model of bzlib.c; empty input has no blocks.
 */
export function cutBlocks(data: Uint8Array, level: number): readonly Block[] {
  // Asked for again and again (each chunking, the CRC model, the situations): modelled once.
  let byLevel = cuts.get(data);
  if (!byLevel) {
    byLevel = new Map();
    cuts.set(data, byLevel);
  }
  let blocks = byLevel.get(level);
  if (!blocks) {
    blocks = modelBlocks(data, level);
    byLevel.set(level, blocks);
  }
  return blocks;
}

const cuts = new WeakMap<Uint8Array, Map<number, Block[]>>();

function modelBlocks(data: Uint8Array, level: number): Block[] {
  const max = nblockMax(level);
  const blocks: Block[] = [];
  let ch = 256; // state_in_ch: 256 means no run in progress
  let len = 0; // state_in_len
  let nblock = 0;
  let start = 0;
  let lastRun = 0;
  let before = 0;
  const cut = (at: number): void => {
    blocks.push({
      start,
      end: at - len,
      nblock,
      cutAt: at,
      lastRun,
      nblockBeforeLastRun: before,
    });
    start = at - len;
    nblock = 0;
    lastRun = 0;
    before = 0;
  };
  for (let i = 0; i < data.length; i++) {
    if (nblock >= max) cut(i);
    const byte = data[i] ?? 0;
    if (byte !== ch || len === 255) {
      if (ch < 256) {
        before = nblock;
        nblock += runEntries(len);
        lastRun = len;
      }
      ch = byte;
      len = 1;
    } else {
      len++;
    }
  }
  if (data.length === 0) return blocks;
  if (nblock >= max) cut(data.length);
  before = nblock;
  nblock += runEntries(len);
  lastRun = len;
  blocks.push({
    start,
    end: data.length,
    nblock,
    cutAt: undefined,
    lastRun,
    nblockBeforeLastRun: before,
  });
  return blocks;
}

/** What surrounds one cut, read from the model's blocks and the input. */
export interface CutSituation {
  /** Index of the block the cut ends. */
  readonly block: number;
  /** Final `nblock` minus nblockMAX: 0..4. */
  readonly overshoot: number;
  /** `nblock` before the last stored run, minus nblockMAX (negative). */
  readonly landedBefore: number;
  /** The block's last stored run (1..255) and its entries (1, 2, 3 or 5). */
  readonly lastRun: number;
  readonly lastEntries: number;
  /** Bytes carried into the next block at the cut (always 1 in libbzip2). */
  readonly pending: number;
  /**
   * Equal bytes just before the boundary that equal the first byte after it: 0 when the boundary
   * lies between different bytes, a multiple of 255 when it lies inside a longer run.
   */
  readonly runBefore: number;
  /** Length of the run of equal bytes that starts at the boundary. */
  readonly runAfter: number;
  /** When runAfter is 1: length of the run that starts where libbzip2 stopped reading. */
  readonly nextRun: number;
}

function runLength(data: Uint8Array, from: number, step: 1 | -1, byte: number): number {
  let n = 0;
  for (let i = from; i >= 0 && i < data.length && data[i] === byte; i += step) n++;
  return n;
}

/** The situation at every cut (every block but the last) of `data` at `level`. */
export function cutSituations(data: Uint8Array, level: number): CutSituation[] {
  const max = nblockMax(level);
  const blocks = cutBlocks(data, level);
  const out: CutSituation[] = [];
  blocks.forEach((block, index) => {
    if (block.cutAt === undefined) return;
    const byte = data[block.end] ?? -1;
    const runAfter = runLength(data, block.end, 1, byte);
    out.push({
      block: index,
      overshoot: block.nblock - max,
      landedBefore: block.nblockBeforeLastRun - max,
      lastRun: block.lastRun,
      lastEntries: runEntries(block.lastRun),
      pending: block.cutAt - block.end,
      runBefore: runLength(data, block.end - 1, -1, byte),
      runAfter,
      nextRun: runAfter === 1 ? runLength(data, block.cutAt, 1, data[block.cutAt] ?? -1) : 0,
    });
  });
  return out;
}

/**
 * A short name for the kind of boundary at a cut, for reports: `inside 255+r` (the boundary
 * splits a run: 255 bytes before it, r after), `run L` (a run of L other bytes starts at the
 * boundary) or `1 then L` (one byte, then a run of L starting where libbzip2 stopped reading).
 */
export function cutKind(cut: CutSituation): string {
  if (cut.runBefore > 0) return `inside ${cut.runBefore}+${cut.runAfter}`;
  if (cut.runAfter === 1 && cut.nextRun > 1) return `1 then ${cut.nextRun}`;
  return `run ${cut.runAfter}`;
}

// --- CRCs and the bzip2 bit stream --------------------------------------------------------------

const CRC_TABLE = new Uint32Array(256);
for (let i = 0; i < 256; i++) {
  let c = i << 24;
  for (let k = 0; k < 8; k++) c = c & 0x80000000 ? (c << 1) ^ 0x04c11db7 : c << 1;
  CRC_TABLE[i] = c >>> 0;
}

/** CRC-32/BZIP2 (MSB first, polynomial 0x04C11DB7) of `data`: a block's CRC in bzip2. */
export function bzip2Crc(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of data) crc = (crc << 8) ^ (CRC_TABLE[(crc >>> 24) ^ byte] ?? 0);
  return ~crc >>> 0;
}

/** The stream CRC bzip2 writes in its trailer: each block's CRC folded in, in order. */
export function combineCrcs(blockCrcs: readonly number[]): number {
  let combined = 0;
  for (const crc of blockCrcs) combined = (((combined << 1) | (combined >>> 31)) ^ crc) >>> 0;
  return combined;
}

const BLOCK_MAGIC = 0x314159265359;
const END_MAGIC = 0x177245385090;

function bitsAt(data: Uint8Array, bit: number, count: number): number {
  let value = 0;
  for (let i = 0; i < count; i++) {
    const b = bit + i;
    value = value * 2 + (((data[b >> 3] ?? 0) >> (7 - (b & 7))) & 1);
  }
  return value;
}

/** Bit offsets where the 48-bit `magic` occurs in `data`, in order. */
function findMagic(data: Buffer, magic: number): number[] {
  const found: number[] = [];
  for (let shift = 0; shift < 8; shift++) {
    // At a bit offset of `shift` within a byte, the magic fills the 5 whole bytes after the
    // first (partial) one: search those natively, then check all 48 bits.
    const bits = magic * 2 ** (16 - shift); // the magic placed at bit `shift` of 64 bits
    const pattern = Buffer.alloc(5);
    for (let i = 0; i < 5; i++) pattern[i] = Math.floor(bits / 2 ** (48 - 8 * i)) & 0xff;
    for (let at = data.indexOf(pattern, 1); at !== -1; at = data.indexOf(pattern, at + 1)) {
      const bit = (at - 1) * 8 + shift;
      if (bit + 48 <= data.length * 8 && bitsAt(data, bit, 48) === magic) found.push(bit);
    }
  }
  return found.sort((a, b) => a - b);
}

/** The CRCs a bzip2 stream records: one per block header, and the trailer's combined CRC. */
export function streamCrcs(stream: Buffer): { blockCrcs: number[]; combinedCrc: number } {
  if (stream.toString('latin1', 0, 3) !== 'BZh') throw new Error('not a bzip2 stream');
  const blockCrcs = findMagic(stream, BLOCK_MAGIC).map((bit) => bitsAt(stream, bit + 48, 32));
  // The trailer is the last 80 bits before 0-7 bits of zero padding.
  const total = stream.length * 8;
  const ends = [0, 1, 2, 3, 4, 5, 6, 7].filter(
    (pad) =>
      total - pad - 80 >= 32 &&
      bitsAt(stream, total - pad - 80, 48) === END_MAGIC &&
      bitsAt(stream, total - pad, pad) === 0,
  );
  const [pad] = ends;
  if (ends.length !== 1 || pad === undefined) throw new Error('no unique stream trailer');
  return { blockCrcs, combinedCrc: bitsAt(stream, total - pad - 32, 32) };
}

/** The block CRCs and combined CRC that the model's blocks of `data` imply. */
export function modelCrcs(
  data: Uint8Array,
  level: number,
): { blockCrcs: number[]; combinedCrc: number } {
  const blockCrcs = cutBlocks(data, level).map((b) => bzip2Crc(data.subarray(b.start, b.end)));
  return { blockCrcs, combinedCrc: combineCrcs(blockCrcs) };
}

// --- Generators ---------------------------------------------------------------------------------

/** Run lengths to put at block boundaries: around 4 (RLE1 starts counting), 255 and 2 × 255. */
export const BOUNDARY_LENGTHS: readonly number[] = [
  1, 2, 3, 4, 5, 6, 250, 251, 252, 253, 254, 255, 256, 257, 258, 259, 260, 509, 510, 511, 512,
];

/** What the next block starts with. */
export type Carry =
  /** A run of `length` equal bytes, other than the block's last byte. */
  | { readonly kind: 'run'; readonly length: number }
  /** One byte, then a run of `length` that starts exactly where libbzip2 stops reading. */
  | { readonly kind: 'next'; readonly length: number }
  /**
   * The rest (`length` bytes) of a run whose first `before` × 255 bytes end the block: the
   * boundary lies inside a run longer than 255.
   */
  | { readonly kind: 'inside'; readonly before: 1 | 2; readonly length: number };

/** One block boundary to build. */
export interface CutSpec {
  /** The block's last stored run, 1..255 (255 for an `inside` carry). */
  readonly lastRun: number;
  /** nblock - nblockMAX after that run is stored: 0 .. its entries - 1. */
  readonly overshoot: number;
  readonly carry: Carry;
}

/** How an input ends after its last cut. */
export type Ending =
  /** Right after the first byte carried over: the last block is that one byte. */
  | { readonly kind: 'exact' }
  /** With a last block of about `entries` entries of filler, then a run of `finalRun` bytes. */
  | { readonly kind: 'tail'; readonly entries: number; readonly finalRun: number };

/** Filler text shared by all generators: compressible, fast to sort, few long runs. */
let fillerText: Buffer | undefined;
function filler(): Buffer {
  fillerText ??= text(1 << 22, 4242);
  return fillerText;
}

/** Builds an input run by run, keeping count of libbzip2's entries in the current block. */
class Builder {
  readonly #max: number;
  readonly #rng: Prng;
  #out = Buffer.alloc(1 << 20);
  #length = 0;
  #last = -1;
  /** Entries of the current block, counting the run in progress as if it were stored. */
  #entries = 0;
  #textAt: number;
  #runs = 0;

  constructor(level: number, seed: number) {
    this.#max = nblockMax(level);
    this.#rng = new Prng(seed);
    this.#textAt = (seed * 7919) % filler().length;
  }

  /** Appends `length` bytes `byte`, which must differ from the last byte (runs never merge). */
  #put(byte: number, length: number): void {
    if (byte === this.#last) throw new Error('runs would merge');
    while (this.#length + length > this.#out.length) {
      const bigger = Buffer.alloc(this.#out.length * 2);
      this.#out.copy(bigger, 0, 0, this.#length);
      this.#out = bigger;
    }
    this.#out.fill(byte, this.#length, this.#length + length);
    this.#length += length;
    this.#last = byte;
  }

  /** A byte other than all of `avoid`. */
  #byteOtherThan(...avoid: number[]): number {
    for (;;) {
      const byte = this.#rng.below(256);
      if (!avoid.includes(byte)) return byte;
    }
  }

  /**
   * The next filler run: text, and every 50th run a random run of 4..12 bytes, every 9973rd one
   * of 200..700 (so that RLE1 and its 255-byte limit are at work inside blocks too).
   */
  #fillerRun(room: number): [number, number] {
    const source = filler();
    this.#runs++;
    if (this.#runs % 9973 === 0 && room > 20) {
      return [this.#byteOtherThan(this.#last), 200 + this.#rng.below(501)];
    }
    if (this.#runs % 50 === 0) return [this.#byteOtherThan(this.#last), 4 + this.#rng.below(9)];
    for (;;) {
      const byte = source[this.#textAt] ?? 0;
      let length = 0;
      while (source[this.#textAt] === byte) {
        length++;
        this.#textAt++;
      }
      if (this.#textAt >= source.length) this.#textAt = 0;
      if (byte !== this.#last) return [byte, length];
    }
  }

  /** Fills the current block with filler until it has exactly `target` entries. */
  #fillTo(target: number): void {
    if (this.#entries > target) throw new Error('block already past the target');
    while (target - this.#entries > 10) {
      const [byte, length] = this.#fillerRun(target - this.#entries - 10);
      const entries = entriesOfBytes(length);
      if (this.#entries + entries > target - 5) continue;
      this.#put(byte, length);
      this.#entries += entries;
    }
    while (this.#entries < target) {
      this.#put(this.#byteOtherThan(this.#last), 1);
      this.#entries++;
    }
  }

  /** Fills a block and ends it as `spec` says; the next block starts with the carry. */
  cut(spec: CutSpec, exact = false): void {
    const { lastRun, overshoot, carry } = spec;
    const lastEntries = carry.kind === 'inside' ? 5 * carry.before : runEntries(lastRun);
    if (carry.kind === 'inside' && lastRun !== 255) throw new Error('inside needs lastRun 255');
    if (overshoot < 0 || overshoot >= (carry.kind === 'inside' ? 5 : lastEntries)) {
      throw new Error(`overshoot ${overshoot} impossible after a run of ${lastRun}`);
    }
    this.#fillTo(this.#max + overshoot - lastEntries);
    const carried = exact ? 1 : carry.length;
    if (carry.kind === 'inside') {
      this.#put(this.#byteOtherThan(this.#last), 255 * carry.before + carried);
    } else {
      this.#put(this.#byteOtherThan(this.#last), lastRun);
      const first = this.#byteOtherThan(this.#last);
      if (carry.kind === 'run' || exact) {
        this.#put(first, carried);
      } else {
        this.#put(first, 1);
        this.#put(this.#byteOtherThan(first), carry.length);
      }
    }
    this.#entries =
      carry.kind === 'next' && !exact ? 1 + entriesOfBytes(carry.length) : entriesOfBytes(carried);
  }

  /** Ends the input with a last block of filler and a final run. */
  tail(entries: number, finalRun: number): void {
    this.#fillTo(this.#entries + entries);
    this.#put(this.#byteOtherThan(this.#last), finalRun);
  }

  take(): Buffer {
    return Buffer.from(this.#out.subarray(0, this.#length));
  }
}

/** An input with one cut per spec, in order, then `ending`. */
export function buildInput(
  level: number,
  seed: number,
  specs: readonly CutSpec[],
  ending: Ending,
): Buffer {
  const builder = new Builder(level, seed);
  specs.forEach((spec, i) => {
    builder.cut(spec, ending.kind === 'exact' && i === specs.length - 1);
  });
  if (ending.kind === 'tail') builder.tail(ending.entries, ending.finalRun);
  return builder.take();
}

/** Every (entries of the last run, overshoot) pair libbzip2 can end a block with. */
const ENDINGS_OF_BLOCKS: readonly (readonly [number, number])[] = [
  [1, 0],
  [2, 0],
  [2, 1],
  [3, 0],
  [3, 1],
  [3, 2],
  [5, 0],
  [5, 1],
  [5, 2],
  [5, 3],
  [5, 4],
];
/** Last runs of 5 entries to rotate through. */
const LONG_LAST_RUNS = [4, 5, 6, 250, 251, 252, 253, 254, 255];

/**
 * Gives each carry a last run and an overshoot: `inside` carries take the 5-entry pairs first
 * (their last run is 255), the others the rest of `pairs`, in order.
 */
function assign(
  carries: readonly Carry[],
  pairs: readonly (readonly [number, number])[],
  rotate: number,
): CutSpec[] {
  const allFive = pairs.filter(([e]) => e === 5);
  const five = [
    ...allFive.slice(rotate % allFive.length),
    ...allFive.slice(0, rotate % allFive.length),
  ];
  const others = pairs.filter(([e]) => e !== 5);
  let nextFive = 0;
  let nextOther = 0;
  let longIndex = rotate;
  return carries.map((carry) => {
    if (carry.kind === 'inside') {
      const pair = five[nextFive++ % five.length] ?? [5, 0];
      return { lastRun: 255, overshoot: pair[1], carry };
    }
    const pair =
      nextOther < others.length
        ? (others[nextOther++] ?? [1, 0])
        : (five[nextFive++ % five.length] ?? [5, 0]);
    const [entries, overshoot] = pair;
    const lastRun = entries < 5 ? entries : (LONG_LAST_RUNS[longIndex++ % 9] ?? 4);
    return { lastRun, overshoot, carry };
  });
}

/**
 * Level 1 (cheap blocks) gets every situation: each boundary length carried over whole, starting
 * where libbzip2 stops reading (after one carried byte), and as the rest of a run longer than
 * 255; every way a block can end (last run's entries and overshoot) in turn.
 */
function level1Specs(): CutSpec[] {
  const runs = BOUNDARY_LENGTHS.map((length): Carry => ({ kind: 'run', length }));
  const next = BOUNDARY_LENGTHS.filter((l) => l > 1).map((length): Carry => ({
    kind: 'next',
    length,
  }));
  const inside = BOUNDARY_LENGTHS.map((length, i): Carry => ({
    kind: 'inside',
    before: i % 2 === 0 ? 1 : 2,
    length,
  }));
  // Interleaved, so that neighbouring blocks differ.
  const carries: Carry[] = [];
  for (let i = 0; i < BOUNDARY_LENGTHS.length; i++) {
    for (const list of [runs, next, inside]) {
      const carry = list[i];
      if (carry) carries.push(carry);
    }
  }
  // Cycle through all block endings: the inside carries use the 5-entry ones.
  const specs: CutSpec[] = [];
  let pair = 0;
  let five = 0;
  let long = 0;
  for (const carry of carries) {
    if (carry.kind === 'inside') {
      specs.push({ lastRun: 255, overshoot: five++ % 5, carry });
      continue;
    }
    const [entries, overshoot] = ENDINGS_OF_BLOCKS[pair++ % ENDINGS_OF_BLOCKS.length] ?? [1, 0];
    const lastRun = entries < 5 ? entries : (LONG_LAST_RUNS[long++ % 9] ?? 4);
    specs.push({ lastRun, overshoot, carry });
  }
  return specs;
}

/**
 * Levels 2 to 9, where a block costs 0.2 to 0.9 MB of input, get one boundary of each kind: a
 * short run carried over, the rest of a run longer than 255, a run around 255, a run of about
 * 2 × 255, a run starting just after the cut; the five overshoots after a 5-entry run and blocks
 * ended by 1-, 2- and 3-byte runs; the input ends as a block fills. Levels 6 to 9 (0.6 to 0.9 MB
 * a block) get six cuts instead of eight. Lengths rotate from level to level so that levels 2
 * to 9 together carry every length of BOUNDARY_LENGTHS over a cut.
 */
function levelSpecs(level: number): CutSpec[] {
  const j = level - 2;
  const near255 = BOUNDARY_LENGTHS.filter((l) => l >= 250 && l <= 260);
  const longish = BOUNDARY_LENGTHS.filter((l) => l >= 250);
  const at = (list: readonly number[], i: number): number => list[i % list.length] ?? 1;
  // The input ends right after this cut's first carried byte (see boundaryInput).
  const last: Carry =
    level % 2 === 1 ? { kind: 'run', length: 1 } : { kind: 'inside', before: 1, length: 1 };
  const small = ENDINGS_OF_BLOCKS.filter(
    ([e, o]) => (e === 1 && o === 0) || (e === 2 && o === 1) || (e === 3 && o === 2),
  );
  const five = ENDINGS_OF_BLOCKS.filter(([e]) => e === 5);
  if (level <= 5) {
    const carries: Carry[] = [
      { kind: 'run', length: 2 + (j % 5) },
      { kind: 'inside', before: 1, length: at(BOUNDARY_LENGTHS, j * 3) },
      { kind: 'run', length: at(near255, 2 * j) },
      { kind: 'next', length: at(longish, j * 2) },
      { kind: 'run', length: at(near255, 2 * j + 1) },
      { kind: 'inside', before: 2, length: at(BOUNDARY_LENGTHS, j * 3 + 10) },
      { kind: 'run', length: 509 + (j % 4) },
      last,
    ];
    return assign(carries, [...small, ...five], j);
  }
  const carries: Carry[] = [
    { kind: 'run', length: 2 + (j % 5) },
    { kind: 'inside', before: j % 2 === 0 ? 1 : 2, length: at(BOUNDARY_LENGTHS, j * 3) },
    { kind: 'run', length: at(near255, j + 4) },
    { kind: 'next', length: at(longish, j * 2) },
    { kind: 'run', length: 509 + (j % 4) },
    last,
  ];
  return assign(carries, [pick(small, j), ...five], j);
}

function pick<T>(list: readonly T[], i: number): T {
  const item = list[i % list.length];
  if (item === undefined) throw new Error('empty list');
  return item;
}

/** The boundary input for `level` (never change it without regenerating the fixtures). */
export function boundaryInput(level: number): Buffer {
  if (level === 1) {
    return buildInput(1, 101, level1Specs(), { kind: 'tail', entries: 50000, finalRun: 700 });
  }
  return buildInput(level, 100 + level, levelSpecs(level), { kind: 'exact' });
}

/**
 * One byte value repeated: every block of level 1 ends with a 255-run (after a flush that landed
 * on nblockMAX - 1, since nblockMAX = 5 × 19996 + 1) and the next starts with the rest of the run.
 * Two full blocks and a last one that ends inside a run.
 */
export function sameByteInput(): Buffer {
  return Buffer.alloc(2 * 19997 * 255 + 12345, 0x61);
}

/** Every input of the parallel-compression tests, and the levels it is tested at. */
export const PARALLEL_CASES: readonly GoldenCase[] = [
  { name: 'empty', levels: [1, 2, 3, 4, 5, 6, 7, 8, 9], make: () => Buffer.alloc(0) },
  { name: 'one-byte', levels: [1, 2, 3, 4, 5, 6, 7, 8, 9], make: () => Buffer.from('a') },
  ...[1, 2, 3, 4, 5, 6, 7, 8, 9].map((level): GoldenCase => ({
    name: `boundaries-l${level}`,
    levels: [level],
    make: () => boundaryInput(level),
  })),
  { name: 'same-byte', levels: [1], make: sameByteInput },
];
