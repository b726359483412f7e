/**
 * Bit-level surgery on bzip2 files, for the parallel decompression suite: a bzip2 stream is a
 * bit string (most significant bit of each byte first) whose blocks start with the 48-bit magic
 * 0x314159265359 and end where the next block's magic or the end-of-stream magic 0x177245385090
 * begins; nothing aligns a block to a byte. Only the end of a stream is padded to a byte.
 *
 * {@link layout} finds the streams and blocks of a file by scanning for both magics at every bit
 * offset; {@link rebuild} writes a file back from (edited) bit ranges, realigning each stream and
 * padding it to a byte again, so that a block can be dropped or two blocks swapped, inside one
 * stream or across streams.
 */

/** The 48-bit magic that starts a block (the BCD digits of pi). */
export const BLOCK_MAGIC = 0x314159265359;
/** The 48-bit magic that ends a stream (the BCD digits of sqrt(pi)); the stream CRC follows. */
export const EOS_MAGIC = 0x177245385090;

/** Bit `bit` of `data` (bit 0 is the first byte's most significant bit); 0 past the end. */
export function bitAt(data: Uint8Array, bit: number): number {
  return ((data[bit >>> 3] ?? 0) >> (7 - (bit & 7))) & 1;
}

/** `count` (at most 48) bits of `data` from bit `from`, as a number. */
export function readBits(data: Uint8Array, from: number, count: number): number {
  let value = 0;
  for (let i = 0; i < count; i++) value = value * 2 + bitAt(data, from + i);
  return value;
}

/** Every bit offset at which `magic` (48 bits) starts in `data`, in order. */
export function findMagic(data: Uint8Array, magic: number): number[] {
  const found: number[] = [];
  // The window as a 16-bit high and a 32-bit low half, so that it stays in integer arithmetic.
  const hiWant = Math.floor(magic / 2 ** 32);
  const loWant = (magic % 2 ** 32) >>> 0;
  let hi = 0;
  let lo = 0;
  for (let byte = 0; byte < data.length; byte++) {
    const value = data[byte] ?? 0;
    for (let k = 7; k >= 0; k--) {
      hi = ((hi << 1) | (lo >>> 31)) & 0xffff;
      lo = ((lo << 1) | ((value >> k) & 1)) >>> 0;
      const end = byte * 8 + (8 - k); // bits read so far
      if (lo === loWant && hi === hiWant && end >= 48) found.push(end - 48);
    }
  }
  return found;
}

/** A half-open range of bits [from, to) of the original file. */
export interface BitRange {
  readonly from: number;
  readonly to: number;
}

/** One bzip2 stream of a file, as bit ranges of the file. */
export interface StreamLayout {
  /** Its first byte ('B' of 'BZh') and the byte after its padding. */
  readonly startByte: number;
  readonly endByte: number;
  /** The level digit of its header. */
  readonly level: number;
  /** 'BZh' and the level: 32 bits. */
  readonly header: BitRange;
  /** Each block, from its magic to the next magic. */
  readonly blocks: readonly BitRange[];
  /** The end-of-stream magic and the stream CRC: 80 bits. */
  readonly trailer: BitRange;
}

/** The streams of a file of concatenated bzip2 streams, and where the bytes after them start. */
export interface FileLayout {
  readonly streams: readonly StreamLayout[];
  /** The byte after the last stream (trailing bytes, if any, start here). */
  readonly endByte: number;
}

/**
 * The streams and blocks of `data`: streams one after the other from byte 0, each `BZh` and a
 * level digit, then its blocks (block magics in order) up to its end-of-stream magic, then the
 * stream CRC and padding to a byte. Stops at the first bytes that do not start a stream. Throws
 * when a stream does not end: this is for well-formed files (the suite's sources), whose magics
 * do not turn up by chance inside a block (about one chance in 2^48 per bit).
 */
export function layout(data: Uint8Array): FileLayout {
  const magics = [
    ...findMagic(data, BLOCK_MAGIC).map((bit) => ({ bit, eos: false })),
    ...findMagic(data, EOS_MAGIC).map((bit) => ({ bit, eos: true })),
  ].sort((a, b) => a.bit - b.bit);
  const streams: StreamLayout[] = [];
  let byte = 0;
  let next = 0; // index into magics
  while (
    byte + 4 <= data.length &&
    data[byte] === 0x42 &&
    data[byte + 1] === 0x5a &&
    data[byte + 2] === 0x68
  ) {
    const level = (data[byte + 3] ?? 0) - 0x30;
    const header = { from: byte * 8, to: byte * 8 + 32 };
    while (next < magics.length && (magics[next]?.bit ?? 0) < header.to) next++;
    const starts: number[] = [];
    let eos = -1;
    for (; next < magics.length; next++) {
      const magic = magics[next];
      if (!magic) break;
      if (magic.eos) {
        eos = magic.bit;
        next++;
        break;
      }
      starts.push(magic.bit);
    }
    if (eos < 0) throw new Error(`the stream at byte ${byte} has no end-of-stream magic`);
    const blocks = starts.map((from, i) => ({ from, to: starts[i + 1] ?? eos }));
    const trailer = { from: eos, to: eos + 80 };
    const endByte = Math.ceil(trailer.to / 8);
    streams.push({ startByte: byte, endByte, level, header, blocks, trailer });
    byte = endByte;
    while (next < magics.length && (magics[next]?.bit ?? 0) < endByte * 8) next++;
  }
  return { streams, endByte: byte };
}

/** Writes bits MSB first into a growing buffer. */
export class BitWriter {
  #out: Buffer;
  #bits = 0;
  constructor(capacityBytes = 1024) {
    this.#out = Buffer.alloc(Math.max(16, capacityBytes));
  }
  get bitLength(): number {
    return this.#bits;
  }
  #reserve(bits: number): void {
    const need = Math.ceil((this.#bits + bits) / 8) + 8;
    if (need <= this.#out.length) return;
    const grown = Buffer.alloc(Math.max(need, this.#out.length * 2));
    this.#out.copy(grown);
    this.#out = grown;
  }
  /** The low `count` (at most 24) bits of `value`, most significant first. */
  write(value: number, count: number): void {
    this.#reserve(count);
    for (let i = count - 1; i >= 0; i--) {
      const o = this.#bits >>> 3;
      if ((value >> i) & 1) this.#out[o] = (this.#out[o] ?? 0) | (0x80 >> (this.#bits & 7));
      this.#bits++;
    }
  }
  /** A 48-bit value (a magic). */
  write48(value: number): void {
    this.write(Math.floor(value / 2 ** 24), 24);
    this.write(value % 2 ** 24, 24);
  }
  /** Bits [from, to) of `data`. */
  copy(data: Uint8Array, from: number, to: number): void {
    this.#reserve(to - from);
    let at = from;
    // Whole bytes of the source while the writer is byte-aligned: the common case is cheap.
    if ((this.#bits & 7) === 0 && (at & 7) === 0) {
      const bytes = (to - at) >>> 3;
      this.#out.set(data.subarray(at >>> 3, (at >>> 3) + bytes), this.#bits >>> 3);
      this.#bits += bytes * 8;
      at += bytes * 8;
    }
    // Otherwise eight bits at a time: read a byte's worth from any offset, write it at any.
    const shift = at & 7;
    while (to - at >= 8) {
      const i = at >>> 3;
      const byte = (((data[i] ?? 0) << shift) | ((data[i + 1] ?? 0) >> (8 - shift))) & 0xff;
      const o = this.#bits >>> 3;
      const s = this.#bits & 7;
      this.#out[o] = (this.#out[o] ?? 0) | (byte >> s);
      if (s) this.#out[o + 1] = (this.#out[o + 1] ?? 0) | ((byte << (8 - s)) & 0xff);
      this.#bits += 8;
      at += 8;
    }
    for (; at < to; at++) this.write(bitAt(data, at), 1);
  }
  /** Pads with zero bits to a byte boundary. */
  pad(): void {
    this.#bits = Math.ceil(this.#bits / 8) * 8;
  }
  /** The bits so far, zero-padded to a byte (a copy). */
  bytes(): Buffer {
    return Buffer.from(this.#out.subarray(0, Math.ceil(this.#bits / 8)));
  }
}

/** A stream to write back: its header, its blocks and its trailer, as ranges of the source. */
export interface StreamPlan {
  readonly header: BitRange;
  readonly blocks: readonly BitRange[];
  readonly trailer: BitRange;
}

/**
 * A file written from `plans` (ranges of `data`), each stream padded to a byte, followed by the
 * bytes of `data` from `tailByte` on (the source's trailing bytes, if any).
 */
export function rebuild(data: Uint8Array, plans: readonly StreamPlan[], tailByte: number): Buffer {
  const writer = new BitWriter(data.length + 16);
  for (const plan of plans) {
    for (const range of [plan.header, ...plan.blocks, plan.trailer])
      writer.copy(data, range.from, range.to);
    writer.pad();
  }
  writer.copy(data, tailByte * 8, data.length * 8);
  return writer.bytes();
}

/** The plans that write `file` back as it is. */
export function plansOf(file: FileLayout): StreamPlan[] {
  return file.streams.map(({ header, blocks, trailer }) => ({ header, blocks, trailer }));
}

/** A block's place in a file: its stream and its index in that stream. */
export interface BlockRef {
  readonly stream: number;
  readonly index: number;
  readonly range: BitRange;
}

/** Every block of the file, in order, with its stream. */
export function allBlocks(file: FileLayout): BlockRef[] {
  return file.streams.flatMap((stream, s) =>
    stream.blocks.map((range, index) => ({ stream: s, index, range })),
  );
}

/** `data` without block `block` (its stream realigned and re-padded; its CRC left as it was). */
export function dropBlock(data: Uint8Array, file: FileLayout, block: BlockRef): Buffer {
  const plans = plansOf(file).map((plan, s) =>
    s === block.stream
      ? { ...plan, blocks: plan.blocks.filter((_, i) => i !== block.index) }
      : plan,
  );
  return rebuild(data, plans, file.endByte);
}

/** `data` with blocks `a` and `b` exchanged, within a stream or across two (CRCs unchanged). */
export function swapBlocks(data: Uint8Array, file: FileLayout, a: BlockRef, b: BlockRef): Buffer {
  const plans = plansOf(file).map((plan, s) => ({
    ...plan,
    blocks: plan.blocks.map((range, i) => {
      if (s === a.stream && i === a.index) return b.range;
      if (s === b.stream && i === b.index) return a.range;
      return range;
    }),
  }));
  return rebuild(data, plans, file.endByte);
}

/** A copy of `data` with bit `bit` (MSB-first numbering, as above) flipped. */
export function flipBitAt(data: Uint8Array, bit: number): Buffer {
  const copy = Buffer.from(data);
  copy[bit >>> 3] = (copy[bit >>> 3] ?? 0) ^ (0x80 >> (bit & 7));
  return copy;
}

/** A copy of `data` with the 48 bits from `bit` overwritten by `value` (a magic). */
export function overwrite48(data: Uint8Array, bit: number, value: number): Buffer {
  const copy = Buffer.from(data);
  for (let i = 0; i < 48; i++) {
    const one = Math.floor(value / 2 ** (47 - i)) % 2;
    const mask = 0x80 >> ((bit + i) & 7);
    const at = (bit + i) >>> 3;
    copy[at] = one ? (copy[at] ?? 0) | mask : (copy[at] ?? 0) & ~mask & 0xff;
  }
  return copy;
}

/** The 32-bit CRC stored after a block's magic. */
export function blockCrc(data: Uint8Array, block: BitRange): number {
  return readBits(data, block.from + 48, 32);
}

/**
 * A new single stream of level `level` made of `blocks` (ranges of `data`, each a whole block
 * from its magic on), with the stream CRC they call for: rotate left by one, xor the block's CRC.
 * Repeating one block many times makes a many-block stream from a one-block one.
 */
export function joinBlocks(data: Uint8Array, level: number, blocks: readonly BitRange[]): Buffer {
  const writer = new BitWriter(
    blocks.reduce((sum, block) => sum + (block.to - block.from), 0) / 8 + 32,
  );
  for (const ch of `BZh${level}`) writer.write(ch.charCodeAt(0), 8);
  let crc = 0;
  for (const block of blocks) {
    writer.copy(data, block.from, block.to);
    crc = (((crc << 1) | (crc >>> 31)) ^ blockCrc(data, block)) >>> 0;
  }
  writer.write48(EOS_MAGIC);
  writer.write(crc >>> 16, 16);
  writer.write(crc & 0xffff, 16);
  writer.pad();
  return writer.bytes();
}
