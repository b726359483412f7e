/**
 * Soak test: `npm run load -- [--seconds N] [--workers N] [--seed S]` (not part of `npm test`).
 *
 * Runs `--workers` (default 8) worker_threads, each loading the built package (dist/, the
 * `main` of package.json: what `require('bz2-napi')` gives), for `--seconds` (default 60). Each
 * worker runs seeded random scenarios: one-shot calls (sync and async), BZ2Compressor and
 * BZ2Decompressor (sync and async, chunked, maxLength loops), streams through `stream.pipeline`,
 * parallel compression (threads 2-4), aborts at random moments, `destroy()` mid-way, and hostile
 * input (bit flips, truncations, test/fixtures/bad with its manifest's verdicts, bombs against
 * `maxOutputLength`). Every successful output is checked by round trip.
 *
 * The main thread samples RSS and V8 external memory (its own plus what each worker reports for
 * its isolate) every second. Exit 1 if any output is wrong, any call throws something unexpected
 * (no string `code`, a code the case does not allow, an abort error when nothing aborted), any
 * worker crashes, exits abnormally or stalls, or memory keeps growing after warm-up (the first
 * quarter of the run, at least 90 s): the median of the last third of the samples after it may
 * exceed the median of the first third by at most max(25 %, 64 MB); runs under 180 s get no
 * memory verdict (see `growth`). The last line is
 * `load: <ops> ops, <wrong> wrong, rss <start>-><end> MB`.
 *
 * `--replay <scenario>:<seed>` runs one scenario with one op seed (printed with every failure) on
 * the main thread, to reproduce it; inputs are deterministic, abort timing is not.
 * `--plant wrong|uncoded|leak|crash` puts in a fault of that kind, to prove that its detector
 * fires (each must make the run exit 1).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type * as Bz2 from '../lib/index';

type Bz2Module = typeof Bz2;

const ROOT = join(__dirname, '..');
const DIST = join(ROOT, 'dist', 'index.js');
const BAD_DIR = join(ROOT, 'test', 'fixtures', 'bad');
const MB = 1024 * 1024;
const MAX_INPUT = 3 * MB;
const EMPTY = Buffer.alloc(0);
/** The highest maxOutputLength given to bombs. */
const BOMB_LIMIT = 8 * MB;

// ---------------------------------------------------------------------------------------------
// Seeded randomness and inputs

/** sfc32: small, fast, good enough for test inputs, and seeded. */
class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = 0xb7e15162;
    this.d = seed >>> 0;
    for (let i = 0; i < 12; i++) this.next();
  }

  /** A uniform 32-bit unsigned integer. */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  float(): number {
    return this.next() / 4294967296;
  }

  /** An integer from `lo` to `hi`, both included. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.float() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.float() * items.length)] as T;
  }

  /** Log-uniform from `lo` to `hi`: as many small sizes as big ones. */
  logInt(lo: number, hi: number): number {
    const v = Math.exp(Math.log(lo) + this.float() * (Math.log(hi + 1) - Math.log(lo)));
    return Math.min(hi, Math.max(lo, Math.floor(v)));
  }
}

type Kind = 'text' | 'random' | 'runs' | 'mixed';

const WORDS = (() => {
  const rng = new Rng(0x5eed);
  const common = 'the of and to in is that it for on with as was at by be this from or an are';
  const words = common.split(' ');
  for (let i = 0; i < 400; i++) {
    let w = '';
    const n = rng.logInt(1, 14);
    for (let j = 0; j < n; j++) w += String.fromCharCode(97 + rng.int(0, 25));
    words.push(w);
  }
  return words;
})();

function fill(rng: Rng, out: Buffer, at: number, end: number, kind: Exclude<Kind, 'mixed'>): void {
  if (kind === 'random') {
    let i = at;
    for (; i + 4 <= end; i += 4) out.writeUInt32LE(rng.next(), i);
    for (; i < end; i++) out[i] = rng.next() & 0xff;
  } else if (kind === 'text') {
    let i = at;
    while (i < end) {
      const word = rng.pick(WORDS);
      i += out.write(word, i, end - i, 'latin1');
      if (i >= end) break;
      const r = rng.float();
      out[i++] = r < 0.8 ? 0x20 : r < 0.9 ? 0x2c : r < 0.97 ? 0x2e : 0x0a;
    }
  } else {
    let i = at;
    const alphabet = rng.int(1, 256);
    while (i < end) {
      const r = rng.float();
      // Around libbzip2's run-length limits (4, 255, 256) and far beyond a block.
      const len =
        r < 0.4
          ? rng.int(1, 3)
          : r < 0.55
            ? rng.int(4, 5)
            : r < 0.7
              ? rng.int(250, 260)
              : r < 0.95
                ? rng.int(1, 1000)
                : rng.int(1000, 300_000);
      const stop = Math.min(end, i + len);
      out.fill(rng.int(0, alphabet - 1), i, stop);
      i = stop;
    }
  }
}

function generate(rng: Rng, size: number, kind: Kind): Buffer {
  const out = Buffer.allocUnsafe(size);
  if (kind !== 'mixed') {
    fill(rng, out, 0, size, kind);
    return out;
  }
  let at = 0;
  while (at < size) {
    const end = Math.min(size, at + rng.logInt(1, Math.max(1, size >> 1)));
    fill(rng, out, at, end, rng.pick(['text', 'random', 'runs'] as const));
    at = end;
  }
  return out;
}

/** A seeded input: 1 B to `max`, log-uniform, sometimes exactly at a block boundary. */
function input(rng: Rng, max = MAX_INPUT, min = 1): Buffer {
  let size = rng.logInt(min, max);
  if (rng.chance(0.05)) {
    // libbzip2 ends a block once nblock >= 100000 x level - 19: sizes around it (for text/random
    // input, which has few runs), for some level.
    const edge = 100_000 * rng.int(1, 9) - 19 + rng.int(-1, 1);
    if (edge >= min && edge <= max) size = edge;
  }
  return generate(rng, size, rng.pick(['text', 'text', 'random', 'runs', 'mixed'] as const));
}

/** Random cut points: up to `maxPieces` pieces (some maybe empty) that concatenate to `data`. */
function split(rng: Rng, data: Buffer, maxPieces = 40): Buffer[] {
  const n = rng.int(1, Math.max(1, Math.min(maxPieces, data.length)));
  const cuts = [0, data.length];
  for (let i = 1; i < n; i++) cuts.push(rng.int(0, data.length));
  cuts.sort((x, y) => x - y);
  const pieces: Buffer[] = [];
  for (let i = 0; i + 1 < cuts.length; i++) pieces.push(data.subarray(cuts[i], cuts[i + 1]));
  return pieces;
}

/** The same bytes as another BZ2Input type: Buffer, offset view, DataView, ArrayBuffer. */
function asInput(rng: Rng, data: Buffer): Bz2.BZ2Input {
  const r = rng.float();
  if (r < 0.55) return data;
  if (r < 0.75) {
    const offset = rng.int(0, 7);
    const copy = new Uint8Array(new ArrayBuffer(data.length + offset + 3), offset, data.length);
    copy.set(data);
    return copy;
  }
  if (r < 0.9) {
    const offset = rng.int(0, 5);
    const ab = new ArrayBuffer(data.length + offset);
    new Uint8Array(ab, offset).set(data);
    return new DataView(ab, offset, data.length);
  }
  const ab = new ArrayBuffer(data.length);
  new Uint8Array(ab).set(data);
  return ab;
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

// ---------------------------------------------------------------------------------------------
// Verdicts

/** An output that is wrong: a bug in the package. */
class Wrong extends Error {
  constructor(
    message: string,
    readonly files: Record<string, Buffer> = {},
  ) {
    super(message);
  }
}

/** Something the case does not allow was thrown (or a call succeeded that must fail). */
class Unexpected extends Error {
  constructor(
    message: string,
    readonly error: unknown,
    readonly files: Record<string, Buffer> = {},
  ) {
    super(message);
  }
}

function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = codeOf(error);
    return `${error.name}${code === undefined ? ' (no code)' : ` ${code}`}: ${error.message}`;
  }
  return `non-Error ${typeof error}: ${String(error)}`;
}

/** Returns the error's code if `allowed` has it, else throws Unexpected. */
function expectCode(
  error: unknown,
  allowed: readonly string[],
  what: string,
  files?: Record<string, Buffer>,
): string {
  if (error instanceof Wrong || error instanceof Unexpected) throw error;
  const code = codeOf(error);
  if (code === undefined || !allowed.includes(code)) {
    const expected = allowed.length === 0 ? 'success' : allowed.join('|');
    throw new Unexpected(`${what}: expected ${expected}, got ${describe(error)}`, error, files);
  }
  return code;
}

/** An AbortError must come from an abort that happened, as Node's own, with the reason. */
function checkAbort(error: unknown, signal: AbortSignal, what: string): void {
  if (!signal.aborted) throw new Unexpected(`${what}: abort error, nothing aborted`, error);
  const e = error as { name?: unknown; cause?: unknown };
  if (e.name !== 'AbortError')
    throw new Unexpected(`${what}: ABORT_ERR named ${String(e.name)}`, error);
  if (e.cause !== signal.reason) throw new Unexpected(`${what}: cause is not the reason`, error);
}

function same(what: string, actual: Buffer, expected: Buffer, files: Record<string, Buffer>): void {
  if (!actual.equals(expected)) {
    let at = 0;
    while (at < actual.length && at < expected.length && actual[at] === expected[at]) at++;
    const detail = `${actual.length} bytes, expected ${expected.length}, first difference at ${at}`;
    throw new Wrong(`${what}: ${detail}`, {
      ...files,
      'actual.bin': actual,
      'expected.bin': expected,
    });
  }
}

async function settle<T>(
  run: () => T | Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  try {
    return { ok: true, value: await run() };
  } catch (error) {
    if (error instanceof Wrong || error instanceof Unexpected) throw error;
    return { ok: false, error };
  }
}

// ---------------------------------------------------------------------------------------------
// Doors: the ways of decompressing

class Collector extends Writable {
  readonly parts: Buffer[] = [];
  total = 0;

  constructor(
    private readonly rng: Rng,
    private readonly slow: boolean,
  ) {
    super({ highWaterMark: 64 * 1024 });
  }

  override _write(
    chunk: Buffer,
    _encoding: BufferEncoding,
    callback: (error?: Error | null) => void,
  ): void {
    this.parts.push(chunk);
    this.total += chunk.length;
    // A slow reader now and then, so that backpressure is exercised.
    if (this.slow && this.rng.chance(0.2)) setImmediate(callback);
    else callback();
  }

  get output(): Buffer {
    return Buffer.concat(this.parts);
  }
}

async function viaStream(
  rng: Rng,
  transform: NodeJS.ReadWriteStream,
  data: Buffer,
): Promise<Buffer> {
  const sink = new Collector(rng, rng.chance(0.3));
  await pipeline(Readable.from(split(rng, data, 64)), transform, sink);
  return sink.output;
}

/** A maxLength for a loop over `expected` output bytes: unlimited, tiny or big, never 0. */
function pickMaxLength(rng: Rng, expected: number): number | undefined {
  const floor = Math.ceil(expected / 3000) + 1; // at most a few thousand calls
  const r = rng.float();
  if (r < 0.15) return undefined;
  if (r < 0.25) return -1;
  if (r < 0.45) return Math.max(floor, rng.int(1, 16));
  if (r < 0.75) return Math.max(floor, rng.logInt(1, 1 << 20));
  return Math.max(floor, rng.int(1, Math.max(1, expected * 2)));
}

interface DecoderRun {
  output: Buffer;
  eof: boolean;
  fed: number;
  unused: Buffer;
  overLimit: boolean;
}

/**
 * Feeds `pieces` to a new BZ2Decompressor, sync or async at random, draining each with a
 * maxLength loop until it needs input. Stops at eof, or once the output passes `limit`.
 */
async function viaDecompressor(
  bz2: Bz2Module,
  rng: Rng,
  pieces: readonly Buffer[],
  expected: number,
  limit = Infinity,
): Promise<DecoderRun> {
  const dec = new bz2.BZ2Decompressor();
  const maxLength = pickMaxLength(rng, Math.min(expected, limit));
  const outputs: Buffer[] = [];
  let total = 0;
  let fed = 0;
  const cap = Math.ceil(Math.min(expected, limit) / Math.max(1, maxLength ?? 1)) + 10_000;
  let calls = 0;
  const call = async (data: Buffer, length = maxLength): Promise<void> => {
    if (++calls > cap) throw new Wrong(`maxLength ${maxLength}: ${calls} calls without the end`);
    const out = rng.chance(0.5)
      ? await dec.decompressAsync(asInput(rng, data), length)
      : dec.decompress(asInput(rng, data), length);
    if (length !== undefined && length >= 0 && out.length > length) {
      throw new Wrong(`maxLength ${length} gave ${out.length} bytes`);
    }
    outputs.push(out);
    total += out.length;
  };
  for (const piece of pieces) {
    if (dec.eof || total > limit) break;
    await call(piece);
    fed += piece.length;
    while (!dec.eof && !dec.needsInput && total <= limit) {
      // maxLength 0 now and then: reads without writing, must return nothing.
      await call(EMPTY, rng.chance(0.05) ? 0 : maxLength);
    }
  }
  return {
    output: Buffer.concat(outputs),
    eof: dec.eof,
    fed,
    unused: dec.unusedData,
    overLimit: total > limit,
  };
}

type Door = 'sync' | 'async' | 'stream' | 'decompressor';

/**
 * Decompresses `data` through `door` with `maxOutputLength` `limit` (undefined: none). The
 * decompressor door has no limit of its own: it stops once past `limit` and says so as the
 * one-shot functions do, with ERR_BUFFER_TOO_LARGE; and without eof it says ERR_BZ2_TRUNCATED.
 */
async function decompressVia(
  bz2: Bz2Module,
  rng: Rng,
  door: Door,
  data: Buffer,
  expected: number,
  limit?: number,
): Promise<Buffer> {
  const options = limit === undefined ? {} : { maxOutputLength: limit };
  switch (door) {
    case 'sync':
      return bz2.decompressSync(asInput(rng, data), options);
    case 'async':
      return bz2.decompress(asInput(rng, data), options);
    case 'stream':
      return viaStream(rng, bz2.createDecompressStream(options), data);
    case 'decompressor': {
      const run = await viaDecompressor(bz2, rng, split(rng, data, 40), expected, limit);
      if (run.overLimit)
        throw Object.assign(new Error('over the limit'), { code: 'ERR_BUFFER_TOO_LARGE' });
      if (!run.eof) throw Object.assign(new Error('no eof'), { code: 'ERR_BZ2_TRUNCATED' });
      return run.output;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Scenarios

interface Ctx {
  readonly bz2: Bz2Module;
  readonly bad: readonly BadFile[];
}

interface BadFile {
  readonly file: string;
  readonly data: Buffer;
  readonly whole: { length: number; sha256: string } | { error: string; message: string };
}

function loadBad(): BadFile[] {
  const manifest = JSON.parse(readFileSync(join(BAD_DIR, 'manifest.json'), 'utf8')) as {
    files: { file: string; decompress: BadFile['whole'] }[];
  };
  return manifest.files.map(({ file, decompress }) => ({
    file,
    data: readFileSync(join(BAD_DIR, file)),
    whole: decompress,
  }));
}

function level(rng: Rng): number {
  return rng.int(1, 9);
}

function threads(rng: Rng): number | undefined {
  return rng.pick([1, 1, 2, 3, 4, undefined]);
}

/** compressSync, checked by decompressSync; sometimes its bytes against threads: 1. */
function oneShotSync({ bz2 }: Ctx, rng: Rng): void {
  const data = input(rng);
  const lv = level(rng);
  const th = threads(rng);
  const packed = bz2.compressSync(asInput(rng, data), { level: lv, threads: th });
  const files = { 'input.bin': data, 'compressed.bin': packed };
  same('decompressSync(compressSync)', bz2.decompressSync(asInput(rng, packed)), data, files);
  if (th !== 1 && data.length <= MB && rng.chance(0.3)) {
    same(
      'compressSync threads vs 1',
      packed,
      bz2.compressSync(data, { level: lv, threads: 1 }),
      files,
    );
  }
  if (rng.chance(0.3)) {
    same(
      'maxOutputLength = length',
      bz2.decompressSync(packed, { maxOutputLength: data.length }),
      data,
      files,
    );
    if (data.length > 1) {
      try {
        bz2.decompressSync(packed, { maxOutputLength: data.length - 1 });
        throw new Unexpected('maxOutputLength = length - 1 succeeded', undefined, files);
      } catch (error) {
        expectCode(error, ['ERR_BUFFER_TOO_LARGE'], 'maxOutputLength = length - 1', files);
      }
    }
  }
}

/** compress / decompress, concurrently a few at a time. */
async function oneShotAsync({ bz2 }: Ctx, rng: Rng): Promise<void> {
  const n = rng.int(1, 3);
  await Promise.all(
    Array.from({ length: n }, async () => {
      const data = input(rng, n > 1 ? MB : MAX_INPUT);
      const lv = level(rng);
      const packed = await bz2.compress(asInput(rng, data), { level: lv, threads: threads(rng) });
      const files = { 'input.bin': data, 'compressed.bin': packed };
      const limit = rng.chance(0.3) ? data.length : undefined;
      same(
        'decompress(compress)',
        await bz2.decompress(asInput(rng, packed), { maxOutputLength: limit }),
        data,
        files,
      );
      if (rng.chance(0.2) && data.length > 1) {
        const r = await settle(() =>
          bz2.decompress(packed, { maxOutputLength: rng.int(1, data.length - 1) }),
        );
        if (r.ok) throw new Unexpected('decompress under the limit succeeded', undefined, files);
        expectCode(r.error, ['ERR_BUFFER_TOO_LARGE'], 'decompress under the limit', files);
      }
    }),
  );
}

/** Multi-block input on 2-4 threads, sync, async or a stream; bytes against threads: 1. */
async function parallel({ bz2 }: Ctx, rng: Rng): Promise<void> {
  const data = input(rng, MAX_INPUT, 150_000);
  const lv = rng.int(1, 4);
  const th = rng.int(2, 4);
  const how = rng.pick(['sync', 'async', 'stream'] as const);
  const packed =
    how === 'sync'
      ? bz2.compressSync(data, { level: lv, threads: th })
      : how === 'async'
        ? await bz2.compress(data, { level: lv, threads: th })
        : await viaStream(rng, bz2.createCompressStream({ level: lv, threads: th }), data);
  const files = { 'input.bin': data, 'compressed.bin': packed };
  same(`parallel ${how} round trip`, await bz2.decompress(packed), data, files);
  if (rng.chance(0.25)) {
    same(
      `parallel ${how} vs threads 1`,
      packed,
      bz2.compressSync(data, { level: lv, threads: 1 }),
      files,
    );
  }
}

/** BZ2Compressor fed in pieces (sync/async, awaited or queued), sometimes dropped unflushed. */
async function compressor(ctx: Ctx, rng: Rng): Promise<void> {
  const { bz2 } = ctx;
  const data = input(rng);
  const lv = level(rng);
  const comp = new bz2.BZ2Compressor(lv);
  const pieces = split(rng, data, 60);
  const abandonAt = rng.chance(0.1) ? rng.int(0, pieces.length) : -1;
  const outputs: Buffer[] = [];
  if (rng.chance(0.3)) {
    // Queued: every call fired at once; they must run in call order.
    const pending: Promise<Buffer>[] = pieces.map((p) => comp.compressAsync(asInput(rng, p)));
    if (rng.chance(0.3)) {
      try {
        comp.compress('busy');
        throw new Unexpected('compress() while async pending succeeded', undefined);
      } catch (error) {
        expectCode(error, ['ERR_BZ2_BUSY'], 'compress() while async pending');
      }
    }
    if (abandonAt >= 0) {
      await Promise.all(pending);
      return; // dropped unflushed
    }
    pending.push(comp.flushAsync());
    outputs.push(...(await Promise.all(pending)));
  } else {
    for (const [i, piece] of pieces.entries()) {
      if (i === abandonAt) return; // dropped unflushed
      outputs.push(
        rng.chance(0.5)
          ? await comp.compressAsync(asInput(rng, piece))
          : comp.compress(asInput(rng, piece)),
      );
    }
    outputs.push(rng.chance(0.5) ? await comp.flushAsync() : comp.flush());
  }
  const packed = Buffer.concat(outputs);
  const files = { 'input.bin': data, 'compressed.bin': packed };
  if (rng.chance(0.3))
    same(
      'BZ2Compressor vs compressSync',
      packed,
      bz2.compressSync(data, { level: lv, threads: 1 }),
      files,
    );
  same(
    'BZ2Compressor round trip',
    await decompressVia(
      bz2,
      rng,
      rng.pick(['sync', 'async', 'stream', 'decompressor'] as const),
      packed,
      data.length,
    ),
    data,
    files,
  );
  try {
    comp.compress('after flush');
    throw new Unexpected('compress() after flush succeeded', undefined);
  } catch (error) {
    expectCode(error, ['ERR_BZ2_FLUSHED'], 'compress() after flush');
  }
}

/** BZ2Decompressor with maxLength loops, trailing junk and unusedData. */
async function decompressor(ctx: Ctx, rng: Rng): Promise<void> {
  const { bz2 } = ctx;
  const data = input(rng);
  const packed = bz2.compressSync(data, { level: level(rng), threads: threads(rng) });
  const tail = rng.chance(0.3) ? generate(rng, rng.logInt(1, 5000), 'random') : EMPTY;
  const whole = Buffer.concat([packed, tail]);
  const files = { 'input.bin': data, 'compressed.bin': whole };
  const run = await viaDecompressor(bz2, rng, split(rng, whole, 50), data.length);
  if (!run.eof) throw new Wrong('BZ2Decompressor: no eof after a whole stream', files);
  same('BZ2Decompressor output', run.output, data, files);
  same('BZ2Decompressor unusedData', run.unused, whole.subarray(packed.length, run.fed), files);
}

/** Streams through pipeline both ways, sometimes with a limit and concatenated streams. */
async function streams({ bz2 }: Ctx, rng: Rng): Promise<void> {
  const data = input(rng);
  const lv = level(rng);
  const packed = await viaStream(
    rng,
    bz2.createCompressStream({ level: lv, threads: threads(rng) }),
    data,
  );
  const files = { 'input.bin': data, 'compressed.bin': packed };
  if (rng.chance(0.3))
    same(
      'compress stream vs compressSync',
      packed,
      bz2.compressSync(data, { level: lv, threads: 1 }),
      files,
    );
  if (rng.chance(0.3)) {
    // Concatenated streams decode to the concatenated inputs.
    const other = input(rng, 64 * 1024);
    const both = Buffer.concat([packed, bz2.compressSync(other, rng.int(1, 9))]);
    const door = rng.pick(['sync', 'async', 'stream'] as const);
    same(
      `concatenated via ${door}`,
      await decompressVia(bz2, rng, door, both, data.length + other.length),
      Buffer.concat([data, other]),
      { ...files, 'compressed.bin': both },
    );
    return;
  }
  const limit = rng.chance(0.3) ? data.length : undefined;
  same(
    'decompress stream',
    await viaStream(rng, bz2.createDecompressStream({ maxOutputLength: limit }), packed),
    data,
    files,
  );
  if (data.length > 1 && rng.chance(0.2)) {
    const r = await settle(() =>
      viaStream(
        rng,
        bz2.createDecompressStream({ maxOutputLength: rng.int(1, data.length - 1) }),
        packed,
      ),
    );
    if (r.ok) throw new Unexpected('decompress stream under the limit succeeded', undefined, files);
    expectCode(r.error, ['ERR_BUFFER_TOO_LARGE'], 'decompress stream under the limit', files);
  }
}

type When = 'before' | 'after-call' | 'microtask' | 'immediate' | 'timeout' | 'never';

/** Runs `fire` at `when`, counted from now (the call has just started). */
function arm(rng: Rng, when: When, fire: () => void): () => void {
  switch (when) {
    case 'before':
    case 'never':
      return () => undefined;
    case 'after-call':
      fire();
      return () => undefined;
    case 'microtask':
      queueMicrotask(fire);
      return () => undefined;
    case 'immediate': {
      const t = setImmediate(fire);
      return () => clearImmediate(t);
    }
    case 'timeout': {
      const t = setTimeout(fire, rng.logInt(1, 200) - 1);
      return () => clearTimeout(t);
    }
  }
}

/** Aborts (signal) or destroy() at random moments; success must still be right. */
async function abort({ bz2 }: Ctx, rng: Rng): Promise<void> {
  const data = input(rng, 2 * MB);
  const lv = level(rng);
  const th = threads(rng);
  const target = rng.pick([
    'compress',
    'decompress',
    'compress-stream',
    'decompress-stream',
    'destroy-compress',
    'destroy-decompress',
    'sync',
  ] as const);
  const when = rng.pick([
    'before',
    'after-call',
    'microtask',
    'immediate',
    'timeout',
    'timeout',
    'timeout',
    'never',
  ] as const);
  const controller = new AbortController();
  const reason = rng.chance(0.5) ? new Error('load: aborted on purpose') : undefined;
  const { signal } = controller;
  const packed = target.includes('decompress') ? bz2.compressSync(data, lv) : undefined;
  const files: Record<string, Buffer> = packed
    ? { 'input.bin': data, 'compressed.bin': packed }
    : { 'input.bin': data };
  const what = `${target} aborted ${when}`;

  if (target === 'destroy-compress' || target === 'destroy-decompress') {
    const stream = packed
      ? bz2.createDecompressStream()
      : bz2.createCompressStream({ level: lv, threads: th });
    const own = rng.chance(0.5)
      ? Object.assign(new Error('load: destroyed on purpose'), { code: 'LOAD_DESTROYED' })
      : undefined;
    let destroyed = false;
    const fire = (): void => {
      destroyed = true;
      stream.destroy(own);
    };
    if (when === 'before') fire();
    const result = settle(() => viaStream(rng, stream, packed ?? data));
    const disarm = arm(rng, when, fire);
    const r = await result;
    disarm();
    if (r.ok) {
      same(`${what}: output`, packed ? r.value : bz2.decompressSync(r.value), data, files);
      return;
    }
    if (!destroyed)
      throw new Unexpected(
        `${what}: failed, nothing destroyed: ${describe(r.error)}`,
        r.error,
        files,
      );
    const code = expectCode(
      r.error,
      own ? ['LOAD_DESTROYED'] : ['ERR_STREAM_PREMATURE_CLOSE'],
      what,
      files,
    );
    if (code === 'LOAD_DESTROYED' && r.error !== own)
      throw new Unexpected(`${what}: not our error`, r.error, files);
    return;
  }

  const fire = (): void => controller.abort(reason);
  if (when === 'before') fire();
  if (target === 'sync') {
    // The Sync functions only validate the signal: aborted or not, they finish.
    const out = bz2.compressSync(data, { level: lv, threads: th, signal });
    same(`${what}: compressSync`, bz2.decompressSync(out, { signal }), data, files);
    return;
  }
  let result: Promise<Buffer>;
  switch (target) {
    case 'compress':
      result = bz2.compress(asInput(rng, data), { level: lv, threads: th, signal });
      break;
    case 'decompress':
      result = bz2.decompress(asInput(rng, packed!), { signal });
      break;
    case 'compress-stream':
      result = viaStream(rng, bz2.createCompressStream({ level: lv, threads: th, signal }), data);
      break;
    case 'decompress-stream':
      result = viaStream(rng, bz2.createDecompressStream({ signal }), packed!);
      break;
  }
  const disarm = arm(rng, when, fire);
  const r = await settle(() => result);
  disarm();
  if (r.ok) {
    if (when === 'before')
      throw new Unexpected(`${what}: succeeded with an aborted signal`, undefined, files);
    same(`${what}: output`, packed ? r.value : bz2.decompressSync(r.value), data, files);
    return;
  }
  expectCode(r.error, ['ABORT_ERR'], what, files);
  checkAbort(r.error, signal, what);
}

/** A verdict for a hostile input: 'ok' (the expected bytes) or the codes allowed. */
function flip(rng: Rng, packed: Buffer): Buffer {
  const bad = Buffer.from(packed);
  const n = rng.int(1, 4);
  for (let i = 0; i < n; i++) {
    const at = rng.chance(0.3)
      ? rng.int(0, Math.min(bad.length - 1, 60))
      : rng.int(0, bad.length - 1);
    bad[at] = bad[at]! ^ (1 << rng.int(0, 7));
  }
  return bad;
}

/** Corrupt and truncated streams, the bad corpus, and bombs against maxOutputLength. */
async function hostile({ bz2, bad }: Ctx, rng: Rng): Promise<void> {
  const door = rng.pick(['sync', 'async', 'stream', 'decompressor'] as const);
  const kind = rng.pick([
    'flip',
    'flip',
    'truncate',
    'truncate-second',
    'corpus',
    'corpus',
    'bomb',
    'zeros',
  ] as const);
  const what = `${kind} via ${door}`;

  if (kind === 'corpus') {
    const entry = rng.pick(bad);
    const files = { [entry.file]: entry.data };
    if ('error' in entry.whole) {
      const code = entry.whole.error === 'OSError' ? 'ERR_BZ2_DATA' : 'ERR_BZ2_TRUNCATED';
      const r = await settle(() => decompressVia(bz2, rng, door, entry.data, 64 * MB));
      if (r.ok)
        throw new Unexpected(
          `${what} ${entry.file}: succeeded, expected ${code}`,
          undefined,
          files,
        );
      expectCode(r.error, [code], `${what} ${entry.file}`, files);
      return;
    }
    const { length, sha256: hash } = entry.whole;
    // The 45.9 MB bomb decoded whole is rare, and limits stay under 8 MB: the point is that the
    // limit stops it, and big transient buffers in 8 workers would hide a leak in RSS noise.
    const limit =
      length > BOMB_LIMIT
        ? rng.chance(0.05)
          ? undefined
          : rng.logInt(1, BOMB_LIMIT)
        : rng.chance(0.5)
          ? rng.int(1, length + 1000)
          : undefined;
    const r = await settle(() => decompressVia(bz2, rng, door, entry.data, length, limit));
    if (limit !== undefined && limit < length) {
      if (r.ok)
        throw new Unexpected(
          `${what} ${entry.file}: ${length} bytes past maxOutputLength ${limit}`,
          undefined,
          files,
        );
      expectCode(r.error, ['ERR_BUFFER_TOO_LARGE'], `${what} ${entry.file} limit ${limit}`, files);
      return;
    }
    if (!r.ok) throw new Unexpected(`${what} ${entry.file}: ${describe(r.error)}`, r.error, files);
    if (r.value.length !== length || sha256(r.value) !== hash) {
      throw new Wrong(
        `${what} ${entry.file}: ${r.value.length} bytes, not the manifest's ${length}`,
        { ...files, 'actual.bin': r.value },
      );
    }
    return;
  }

  if (kind === 'bomb' || kind === 'zeros') {
    // 47 bytes that expand to 45.9 MB, or a generated run of one byte; always with a limit under it.
    const entry = bad.find((b) => b.file === 'bomb-46mb.bz2');
    const size = kind === 'zeros' ? rng.int(2, MAX_INPUT) : 45_900_000;
    const one =
      kind === 'zeros' || !entry
        ? bz2.compressSync(Buffer.alloc(size, rng.int(0, 255)), level(rng))
        : entry.data;
    const copies = rng.int(1, 3);
    const data = Buffer.concat(Array.from({ length: copies }, () => one));
    const top = Math.min(size - 1, BOMB_LIMIT);
    const limit = rng.chance(0.5) ? rng.int(1, top) : rng.logInt(1, top);
    const r = await settle(() => decompressVia(bz2, rng, door, data, size * copies, limit));
    if (r.ok)
      throw new Unexpected(
        `${what}: ${r.value.length} bytes past maxOutputLength ${limit}`,
        undefined,
        { 'bomb.bz2': data },
      );
    expectCode(r.error, ['ERR_BUFFER_TOO_LARGE'], `${what} limit ${limit}`, { 'bomb.bz2': data });
    return;
  }

  const data = input(rng, 512 * 1024);
  const packed = bz2.compressSync(data, { level: level(rng), threads: threads(rng) });
  if (kind === 'flip') {
    const corrupt = flip(rng, packed);
    const limit = data.length + MB;
    const files = { 'input.bin': data, 'good.bz2': packed, 'corrupt.bz2': corrupt };
    const r = await settle(() => decompressVia(bz2, rng, door, corrupt, data.length, limit));
    // Either the CRCs say nothing changed (a flip in the padding or the block size digit) and the
    // output is the original, or a coded error; a run length can be flipped into a bomb.
    if (r.ok) same(`${what}: decoded`, r.value, data, files);
    else
      expectCode(
        r.error,
        ['ERR_BZ2_DATA', 'ERR_BZ2_TRUNCATED', 'ERR_BUFFER_TOO_LARGE'],
        what,
        files,
      );
    return;
  }
  // Cut inside the (second) stream: always a truncation.
  const first =
    kind === 'truncate-second' ? bz2.compressSync(input(rng, 64 * 1024), level(rng)) : EMPTY;
  const cut = rng.int(1, packed.length - 1);
  const truncated = Buffer.concat([first, packed.subarray(0, cut)]);
  const files = { 'input.bin': data, 'good.bz2': packed, 'truncated.bz2': truncated };
  if (door === 'decompressor' && first.length === 0) {
    // One stream per object: no error, no eof, and what came out is a prefix of the input.
    const run = await viaDecompressor(bz2, rng, split(rng, truncated, 30), data.length);
    if (run.eof) throw new Wrong(`${what} at ${cut}: eof`, files);
    same(`${what} at ${cut}: prefix`, run.output, data.subarray(0, run.output.length), files);
    return;
  }
  const r = await settle(() =>
    decompressVia(
      bz2,
      rng,
      door === 'decompressor' ? 'sync' : door,
      truncated,
      first.length + data.length,
    ),
  );
  if (r.ok) throw new Unexpected(`${what} at ${cut}: succeeded`, undefined, files);
  expectCode(r.error, ['ERR_BZ2_TRUNCATED'], `${what} at ${cut}`, files);
}

const SCENARIOS = {
  'one-shot-sync': { weight: 10, run: oneShotSync },
  'one-shot-async': { weight: 10, run: oneShotAsync },
  parallel: { weight: 8, run: parallel },
  compressor: { weight: 12, run: compressor },
  decompressor: { weight: 12, run: decompressor },
  streams: { weight: 12, run: streams },
  abort: { weight: 18, run: abort },
  hostile: { weight: 18, run: hostile },
} satisfies Record<string, { weight: number; run: (ctx: Ctx, rng: Rng) => void | Promise<void> }>;

type Scenario = keyof typeof SCENARIOS;
const NAMES = Object.keys(SCENARIOS) as Scenario[];

function pickScenario(rng: Rng): Scenario {
  const total = NAMES.reduce((sum, name) => sum + SCENARIOS[name].weight, 0);
  let r = rng.float() * total;
  for (const name of NAMES) {
    r -= SCENARIOS[name].weight;
    if (r < 0) return name;
  }
  return NAMES[NAMES.length - 1]!;
}

// ---------------------------------------------------------------------------------------------
// Workers

interface Failure {
  readonly kind: 'wrong' | 'unexpected';
  readonly worker: number;
  readonly scenario: Scenario;
  readonly seed: number;
  readonly message: string;
  readonly stack: string | undefined;
  readonly saved: string | undefined;
}

interface Stats {
  readonly type: 'stats' | 'done';
  readonly worker: number;
  readonly ops: number;
  readonly wrong: number;
  readonly unexpected: number;
  readonly byScenario: Record<string, number>;
  readonly external: number;
  readonly arrayBuffers: number;
  readonly current: string;
}

type Message = Stats | ({ type: 'failure' } & Failure);

interface WorkerInput {
  readonly worker: number;
  readonly seed: number;
  readonly deadline: number;
  readonly failDir: string;
  readonly plant: Plant | undefined;
}

/** Faults `--plant` puts in, to prove that each detector fires. */
const PLANTS = ['wrong', 'uncoded', 'leak', 'crash'] as const;
type Plant = (typeof PLANTS)[number];

function loadPackage(plant?: Plant): Bz2Module {
  // The built package, as `require('bz2-napi')` loads it (package.json `main`).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const bz2 = require(DIST) as Bz2Module;
  if (plant === 'wrong') {
    // One output in 20 gets a flipped bit.
    return {
      ...bz2,
      decompressSync: (data, options) => {
        const out = bz2.decompressSync(data, options);
        if (out.length > 0 && Math.random() < 0.05) out[out.length >> 1]! ^= 4;
        return out;
      },
    };
  }
  if (plant === 'uncoded') {
    // One call in 20 rejects with an error that has no code.
    return {
      ...bz2,
      decompress: (data, options) =>
        Math.random() < 0.05 ? Promise.reject(new Error('planted')) : bz2.decompress(data, options),
    };
  }
  return bz2;
}

/** Writes a failure's files and description under `dir`; returns the directory. */
function save(dir: string, name: string, meta: object, files: Record<string, Buffer>): string {
  const at = join(dir, name);
  mkdirSync(at, { recursive: true });
  writeFileSync(join(at, 'meta.json'), `${JSON.stringify(meta, null, 2)}\n`);
  for (const [file, data] of Object.entries(files)) writeFileSync(join(at, file), data);
  return at;
}

async function runOne(
  ctx: Ctx,
  scenario: Scenario,
  seed: number,
): Promise<(Omit<Failure, 'worker' | 'saved'> & { files: Record<string, Buffer> }) | undefined> {
  try {
    await SCENARIOS[scenario].run(ctx, new Rng(seed));
    return undefined;
  } catch (error) {
    const kind = error instanceof Wrong ? 'wrong' : 'unexpected';
    const files = error instanceof Wrong || error instanceof Unexpected ? error.files : {};
    const cause = error instanceof Unexpected ? error.error : error;
    const message =
      error instanceof Wrong || error instanceof Unexpected
        ? error.message
        : `${scenario}: threw ${describe(error)}`;
    const stack =
      cause instanceof Error ? cause.stack : error instanceof Error ? error.stack : undefined;
    return { kind, scenario, seed, message, stack, files };
  }
}

async function workerMain(): Promise<void> {
  const { worker, seed, deadline, failDir, plant } = workerData as WorkerInput;
  const port = parentPort;
  if (!port) throw new Error('no parent port');
  const ctx: Ctx = { bz2: loadPackage(plant), bad: loadBad() };
  // 'leak' keeps 2 MB per op (touched, so that it is resident); 'crash' kills worker 0.
  const kept: Buffer[] = [];
  if (plant === 'crash' && worker === 0) setTimeout(() => process.exit(3), 5000);
  const rng = new Rng(seed);
  let ops = 0;
  let wrong = 0;
  let unexpected = 0;
  let saved = 0;
  let current = 'starting';
  const byScenario: Record<string, number> = {};
  const stats = (type: Stats['type']): Stats => {
    const { external, arrayBuffers } = process.memoryUsage();
    return { type, worker, ops, wrong, unexpected, byScenario, external, arrayBuffers, current };
  };
  const timer = setInterval(() => port.postMessage(stats('stats')), 1000);
  while (Date.now() < deadline) {
    const scenario = pickScenario(rng);
    const opSeed = rng.next();
    current = `${scenario}:${opSeed}`;
    const failure = await runOne(ctx, scenario, opSeed);
    ops++;
    if (plant === 'leak') kept.push(Buffer.alloc(2 * MB, ops));
    byScenario[scenario] = (byScenario[scenario] ?? 0) + 1;
    if (failure) {
      if (failure.kind === 'wrong') wrong++;
      else unexpected++;
      const { files, ...rest } = failure;
      const where =
        saved++ < 10
          ? save(failDir, `w${worker}-${ops}-${scenario}-${opSeed}`, rest, files)
          : undefined;
      port.postMessage({ type: 'failure', ...rest, worker, saved: where } satisfies Message);
    }
  }
  clearInterval(timer);
  current = 'done';
  // Drop everything, collect, and let the event loop turn so that finalizers run: what external
  // memory is left then is held, not merely uncollected.
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  for (let i = 0; i < 4; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  port.postMessage(stats('done'));
}

// ---------------------------------------------------------------------------------------------
// Main thread

function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Warm-up, in samples (seconds): RSS climbs for about 90 s under this load before it levels off
 * (glibc arenas for 8 workers and the addon's threads, V8 heaps sizing themselves), as the
 * 10-minute runs show; so the first quarter of the run, but at least 90 s.
 */
const WARM_UP = 90;
/** The fewest samples after warm-up for a memory verdict. */
const JUDGED = 90;

/**
 * After warm-up, the median of the first third of the samples left (`start`) and of the last
 * third (`end`): for a 600 s run, 150-300 s against 450-600 s. Growth is `end` above `start` +
 * max(25 %, 64 MB). Too short a run (under warm-up + 90 s) gets no verdict.
 */
function growth(samples: readonly number[]): {
  start: number;
  end: number;
  limit: number;
  judged: boolean;
  grew: boolean;
} {
  const n = samples.length;
  const warm = Math.max(Math.floor(n / 4), Math.min(WARM_UP, n - 2));
  const rest = samples.slice(warm);
  const third = Math.max(1, Math.floor(rest.length / 3));
  const start = median(rest.slice(0, third));
  const end = median(rest.slice(rest.length - third));
  const limit = start + Math.max(0.25 * start, 64 * MB);
  const judged = rest.length >= JUDGED;
  return { start, end, limit, judged, grew: judged && end > limit };
}

interface Args {
  seconds: number;
  workers: number;
  seed: number;
  replay: string | undefined;
  plant: Plant | undefined;
  trace: string | undefined;
}

function args(): Args {
  const argv = process.argv.slice(2);
  const out: Args = {
    seconds: 60,
    workers: 8,
    seed: 1,
    replay: undefined,
    plant: undefined,
    trace: undefined,
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.split('=', 2) as [string, string | undefined];
    const value = inline ?? argv[++i];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    if (flag === '--replay') {
      out.replay = value;
      continue;
    }
    if (flag === '--trace') {
      out.trace = value;
      continue;
    }
    if (flag === '--plant' && (PLANTS as readonly string[]).includes(value)) {
      out.plant = value as Plant;
      continue;
    }
    const n = Number(value);
    if (flag === '--seconds' && n > 0) out.seconds = n;
    else if (flag === '--workers' && Number.isInteger(n) && n > 0) out.workers = n;
    else if (flag === '--seed' && Number.isInteger(n)) out.seed = n;
    else
      throw new Error(
        `bad argument ${argv[i] ?? flag}: usage: --seconds N --workers N --seed S --replay scenario:seed --trace samples.csv --plant ${PLANTS.join('|')}`,
      );
  }
  return out;
}

function newest(dir: string, ext: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) latest = Math.max(latest, newest(path, ext));
    else if (entry.name.endsWith(ext)) latest = Math.max(latest, statSync(path).mtimeMs);
  }
  return latest;
}

const mb = (bytes: number): string => (bytes / MB).toFixed(0);

async function replay(spec: string): Promise<void> {
  const [name, seed] = spec.split(':');
  if (!name || !(name in SCENARIOS) || seed === undefined)
    throw new Error(`--replay scenario:seed, scenario one of ${NAMES.join(', ')}`);
  const failure = await runOne(
    { bz2: loadPackage(), bad: loadBad() },
    name as Scenario,
    Number(seed) >>> 0,
  );
  if (failure) {
    console.log(`replay ${spec}: ${failure.kind}: ${failure.message}\n${failure.stack ?? ''}`);
    process.exitCode = 1;
  } else console.log(`replay ${spec}: ok`);
}

async function main(): Promise<void> {
  const { seconds, workers: count, seed, replay: spec, plant, trace } = args();
  try {
    if (statSync(DIST).mtimeMs < newest(join(ROOT, 'lib'), '.ts')) {
      console.error('load: dist/ is older than lib/: run `npx tsc -p tsconfig.build.json` first');
      process.exit(1);
    }
  } catch {
    console.error('load: no dist/index.js: run `npx tsc -p tsconfig.build.json` first');
    process.exit(1);
  }
  if (spec !== undefined) return replay(spec);

  const started = Date.now();
  const deadline = started + seconds * 1000;
  const failDir = join(tmpdir(), `bz2-load-${process.pid}`);
  const failures: Failure[] = [];
  const problems: string[] = [];
  const last = new Map<number, Stats>();
  const lastSeen = new Map<number, number>();
  const rss: number[] = [];
  const external: number[] = [];
  const samples = ['seconds,rss,external,ops'];
  let maxRss = 0;
  let maxExternal = 0;

  console.log(
    `load: ${count} workers for ${seconds} s, seed ${seed}, package ${DIST}, pid ${process.pid}`,
  );
  const source = `require('tsx/cjs'); require(${JSON.stringify(__filename)});`;
  const exits = Array.from({ length: count }, (_, worker) => {
    const input: WorkerInput = {
      worker,
      seed: (seed * 0x10001 + worker * 0x9e3779b1) >>> 0,
      deadline,
      failDir,
      plant,
    };
    const w = new Worker(source, { eval: true, workerData: input });
    lastSeen.set(worker, Date.now());
    w.on('message', (m: Message) => {
      lastSeen.set(worker, Date.now());
      if (m.type === 'failure') {
        failures.push(m);
        console.log(
          `load: FAIL ${m.kind} worker ${m.worker} ${m.scenario}:${m.seed}: ${m.message}${m.saved ? ` (saved ${m.saved})` : ''}`,
        );
      } else last.set(worker, m);
    });
    w.on('error', (error) =>
      problems.push(`worker ${worker} crashed: ${describe(error)}\n${error.stack ?? ''}`),
    );
    return { worker: w, exited: new Promise<number>((resolve) => w.on('exit', resolve)) };
  });

  const totals = (): { ops: number; wrong: number; unexpected: number } => {
    let ops = 0;
    let wrong = 0;
    let unexpected = 0;
    for (const s of last.values()) {
      ops += s.ops;
      wrong += s.wrong;
      unexpected += s.unexpected;
    }
    return { ops, wrong, unexpected };
  };
  // This thread only gathers the workers' stats: how long its event loop waits for a turn under
  // the full load of the workers and the addon's threads (largest gap of a 1 ms timer, per second).
  let lastTick = performance.now();
  let gapThisSecond = 0;
  const secondGaps: number[] = [];
  const ticker = setInterval(() => {
    const now = performance.now();
    gapThisSecond = Math.max(gapThisSecond, now - lastTick);
    lastTick = now;
  }, 1);
  const stalled = new Set<number>();
  const sampler = setInterval(() => {
    secondGaps.push(gapThisSecond);
    gapThisSecond = 0;
    const now = Date.now();
    if (now <= deadline) {
      const usage = process.memoryUsage();
      let ext = usage.external;
      for (const s of last.values()) ext += s.external;
      rss.push(usage.rss);
      external.push(ext);
      samples.push(`${((now - started) / 1000).toFixed(1)},${usage.rss},${ext},${totals().ops}`);
      maxRss = Math.max(maxRss, usage.rss);
      maxExternal = Math.max(maxExternal, ext);
      if (rss.length % 10 === 0) {
        const t = totals();
        const secs = (now - started) / 1000;
        console.log(
          `load: [${secs.toFixed(0).padStart(4)} s] ${t.ops} ops (${(t.ops / secs).toFixed(1)}/s), ${t.wrong} wrong, ${t.unexpected} unexpected, rss ${mb(usage.rss)} MB (max ${mb(maxRss)}), external ${mb(ext)} MB`,
        );
      }
    }
    // A worker that has not reported for 2 minutes is stuck (a sync call or a promise that
    // never settles); its stats say in which op.
    for (const [worker, seen] of lastSeen) {
      if (now - seen > 120_000 && !stalled.has(worker) && last.get(worker)?.type !== 'done') {
        stalled.add(worker);
        problems.push(
          `worker ${worker} stalled for 120 s in ${last.get(worker)?.current ?? 'its first op'}`,
        );
        void exits[worker]?.worker.terminate();
      }
    }
  }, 1000);

  const codes = await Promise.all(exits.map((e) => e.exited));
  clearInterval(sampler);
  clearInterval(ticker);
  codes.forEach((code, worker) => {
    if (code !== 0) problems.push(`worker ${worker} exited with code ${code}`);
    else if (last.get(worker)?.type !== 'done')
      problems.push(`worker ${worker} exited before it was done`);
  });

  if (trace !== undefined) writeFileSync(trace, `${samples.join('\n')}\n`);
  const elapsed = (Date.now() - started) / 1000;
  const t = totals();
  const byScenario: Record<string, number> = {};
  for (const s of last.values())
    for (const [k, v] of Object.entries(s.byScenario)) byScenario[k] = (byScenario[k] ?? 0) + v;
  const memory = growth(rss);
  const ext = growth(external);
  if (memory.grew)
    problems.push(
      `rss grew: median ${mb(memory.end)} MB at the end > ${mb(memory.limit)} MB (${mb(memory.start)} MB after warm-up + max(25 %, 64 MB))`,
    );
  if (ext.grew)
    problems.push(
      `external memory grew: median ${mb(ext.end)} MB at the end > ${mb(ext.limit)} MB (${mb(ext.start)} MB after warm-up + max(25 %, 64 MB))`,
    );
  if (!memory.judged) {
    console.log(
      `load: memory not judged: ${rss.length} samples, the verdict needs warm-up (${WARM_UP} s, or a quarter of the run) + ${JUDGED} s; run --seconds 300 or more for it`,
    );
  }
  if (t.unexpected > 0) problems.push(`${t.unexpected} unexpected errors`);
  if (t.wrong > 0) problems.push(`${t.wrong} wrong outputs`);
  if (failures.length > 0) problems.push(`reproducers under ${failDir}`);

  console.log(
    `load: ${elapsed.toFixed(0)} s, ${(t.ops / elapsed).toFixed(1)} ops/s; by scenario ${JSON.stringify(byScenario)}`,
  );
  let externalAfterGc = process.memoryUsage().external;
  for (const s of last.values()) externalAfterGc += s.external;
  console.log(
    `load: external ${mb(ext.start)}->${mb(ext.end)} MB (max ${mb(maxExternal)}, ${externalAfterGc.toFixed(0)} bytes after the workers' final GC), max rss ${mb(maxRss)} MB, ${rss.length} samples`,
  );
  const sortedGaps = [...secondGaps].sort((a, b) => a - b);
  const gapAt = (q: number): string =>
    (sortedGaps[Math.min(sortedGaps.length - 1, Math.floor(q * sortedGaps.length))] ?? NaN).toFixed(
      1,
    );
  console.log(
    `load: main thread's event loop, longest gap per second: median ${gapAt(0.5)} ms, p90 ${gapAt(0.9)} ms, max ${gapAt(1)} ms`,
  );
  for (const p of problems) console.log(`load: FAIL ${p}`);
  if (problems.length > 0) process.exitCode = 1;
  console.log(
    `load: ${t.ops} ops, ${t.wrong} wrong, rss ${mb(memory.start)}->${mb(memory.end)} MB`,
  );
}

if (isMainThread) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
} else {
  workerMain().catch((error: unknown) => {
    // An error outside any scenario: let it crash the worker, which the main thread reports.
    setImmediate(() => {
      throw error;
    });
  });
}
