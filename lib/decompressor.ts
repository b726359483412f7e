/**
 * `BZ2Decompressor`: Python's `bz2.BZ2Decompressor` for Node.
 * @packageDocumentation
 */
import { constants } from 'node:buffer';
import { busyError, bz2Error, invalidThisError } from './errors';
import type { DecodeStep } from './concatenated-decoder';
import { InputQueue } from './input-queue';
import { construct, native, type NativeDecompressor } from './native';
import { SerialQueue } from './serial-queue';
import { runAsync, runSync, type Steps } from './steps';
import {
  DECOMPRESS_INPUT_UNIT,
  DECOMPRESS_OUTPUT_UNIT,
  EMPTY,
  ownedConcat,
  ownedConcatYielding,
  ownedCopy,
} from './units';
import { checkHeld, checkInteger, hold, toBytes, type BZ2Input } from './validate';

/** The most input a step reads and output it makes. */
interface StepUnits {
  readonly input: number;
  readonly output: number;
}

/** On the calling thread: input read in place, the whole call in one native call. */
const SYNC: StepUnits = { input: Infinity, output: Infinity };

/** On the thread pool: each step copies what it reads and stays about a block long. */
const ASYNC: StepUnits = { input: DECOMPRESS_INPUT_UNIT, output: DECOMPRESS_OUTPUT_UNIT };

/**
 * An incremental decompressor for one bzip2 stream. Bytes that follow the end of the stream are
 * kept in {@link BZ2Decompressor.unusedData}; to read concatenated streams, start a new
 * decompressor on them (or use `decompressSync` / `decompress`).
 *
 * @remarks
 * With `maxLength`, at most that many bytes come out of a call; the rest stays inside and comes
 * out of later calls, which may pass empty input. Input that is not used yet is kept (copied)
 * inside the decompressor. After invalid data the decompressor is unusable. `decompress` runs on
 * the calling thread; `decompressAsync` on the libuv thread pool, one call at a time in call
 * order, and a synchronous call while any is pending throws `ERR_BZ2_BUSY`.
 *
 * @example
 * ```ts
 * import { BZ2Decompressor } from 'bz2-napi';
 * const decompressor = new BZ2Decompressor();
 * for (const chunk of chunks) process(decompressor.decompress(chunk));
 * if (!decompressor.eof) throw new Error('truncated');
 * ```
 */
export class BZ2Decompressor {
  readonly #native: NativeDecompressor;
  readonly #queue = new SerialQueue();
  /** Input given and not yet used: CPython's input buffer (copied when a call leaves some). */
  readonly #input = new InputQueue();
  /** The bytes after the end of the stream, copied when it is reached. */
  #unused: Uint8Array = EMPTY;

  /** Throws `ERR_INVALID_THIS` unless `self` was made by this constructor (a brand check). */
  static #check(self: unknown): asserts self is BZ2Decompressor {
    if (typeof self !== 'object' || self === null || !(#native in self)) {
      throw invalidThisError('BZ2Decompressor');
    }
  }

  /** Creates a decompressor. */
  constructor() {
    this.#native = construct(native.Decompressor, false);
  }

  /**
   * Decompresses `data`, returning at most `maxLength` bytes.
   * @param data - compressed bytes (the next part of the stream; may be empty).
   * @param maxLength - the most bytes to return, an integer of at least 0; -1 or undefined for
   * no limit. Even with 0, the input is read as far as libbzip2 can go without producing output
   * (as in Python): headers, a stream end, invalid data.
   * @returns a new Buffer, possibly empty.
   * @throws TypeError `ERR_INVALID_ARG_TYPE` for bad `data` or a non-number `maxLength`.
   * @throws RangeError `ERR_OUT_OF_RANGE` for a `maxLength` below -1 or not an integer.
   * @throws Error `ERR_BZ2_BUSY` while asynchronous work on this decompressor is pending.
   * @throws Error `ERR_BZ2_EOF` (`End of stream already reached`) after the end of the stream.
   * @throws Error `ERR_BZ2_DATA` (`Invalid data stream`) for invalid data, and on every call after.
   * @throws TypeError `ERR_INVALID_THIS` when called on anything but a BZ2Decompressor.
   */
  decompress(data: BZ2Input, maxLength?: number): Buffer {
    BZ2Decompressor.#check(this);
    const { bytes, budget } = this.#args(data, maxLength);
    if (this.#queue.busy) throw busyError();
    this.#checkState();
    this.#input.push(bytes);
    const decoder = this.#native;
    const parts = runSync(this.#steps(budget, SYNC), (step) =>
      decoder.decompress(step.data, step.maxLength),
    );
    return ownedConcat(parts);
  }

  /**
   * {@link BZ2Decompressor.decompress} on the libuv thread pool. The work is done in steps of
   * about 1 MiB of output, so that no step holds a pool thread much longer than one block.
   * @param data - compressed bytes. Leave them untouched until the promise settles (as with
   * `node:zlib`); each step copies the part it reads, and what is left at the end is copied in.
   * A buffer detached before then rejects with `ERR_INVALID_STATE`.
   * @param maxLength - as for {@link BZ2Decompressor.decompress}.
   * @returns a promise of a new Buffer, possibly empty.
   * @throws (rejects, never throws) the same errors as {@link BZ2Decompressor.decompress}, except
   * `ERR_BZ2_BUSY`: asynchronous calls queue up.
   */
  decompressAsync(data: BZ2Input, maxLength?: number): Promise<Buffer> {
    let bytes: Uint8Array;
    let budget: number;
    try {
      BZ2Decompressor.#check(this);
      ({ bytes, budget } = this.#args(data, maxLength));
    } catch (error) {
      return Promise.reject(error);
    }
    const given = hold(bytes);
    return this.#queue.run(async () => {
      this.#checkState();
      checkHeld(given); // read only when its turn comes
      this.#input.push(given.bytes);
      const decoder = this.#native;
      const parts = await runAsync(this.#steps(budget, ASYNC), (step) =>
        decoder.decompressAsync(step.data, step.maxLength),
      );
      return ownedConcatYielding(parts);
    });
  }

  /** True once the end-of-stream marker has been reached. */
  get eof(): boolean {
    BZ2Decompressor.#check(this);
    return this.#native.eof;
  }

  /** The bytes that followed the end of the stream (a new Buffer each time; empty before). */
  get unusedData(): Buffer {
    BZ2Decompressor.#check(this);
    return ownedCopy(this.#unused);
  }

  /**
   * True when more input is needed for more output. False at the end of the stream, and when
   * `maxLength` stopped the last call before its output or input ran out: call again (with empty
   * input if need be) for more output.
   */
  get needsInput(): boolean {
    BZ2Decompressor.#check(this);
    return this.#input.length === 0 && this.#native.needsInput;
  }

  #args(data: unknown, maxLength: unknown): { bytes: Uint8Array; budget: number } {
    const bytes = toBytes(data, 'data');
    const limit = checkInteger(maxLength, 'maxLength', -1, Number.MAX_SAFE_INTEGER, -1);
    // No limit still means no more than one Buffer can hold; the rest stays inside.
    return { bytes, budget: limit < 0 ? constants.MAX_LENGTH : limit };
  }

  /**
   * The native calls of one decompress call that may return `budget` bytes; returns their
   * outputs. The call ends when the stream ends, the output reaches the budget, or the input is
   * used up with no output pending; the first native call always runs, even for a budget of 0
   * (as in Python). Afterwards the unused input is kept as our own copy, or becomes `unusedData`
   * at the end of the stream; after an error (the native decoder's failure is sticky) it is
   * dropped.
   */
  *#steps(budget: number, units: StepUnits): Steps<DecodeStep, Buffer[]> {
    const decoder = this.#native;
    const parts: Buffer[] = [];
    let left = budget;
    let failed = true;
    try {
      do {
        const data = decoder.needsInput ? this.#input.peek(units.input) : EMPTY;
        const part = yield { data, maxLength: Math.min(left, units.output), last: false };
        this.#input.advance(decoder.consumed);
        parts.push(part);
        left -= part.length;
      } while (!decoder.eof && left > 0 && !(decoder.needsInput && this.#input.length === 0));
      failed = false;
    } finally {
      if (failed) {
        this.#input.clear();
      } else if (decoder.eof) {
        this.#unused = this.#input.copy();
        this.#input.clear();
      } else {
        this.#input.keep();
      }
    }
    return parts;
  }

  /** Python's state rule: no call after the end of the stream. */
  #checkState(): void {
    if (this.#native.eof) throw bz2Error('ERR_BZ2_EOF', 'End of stream already reached');
  }
}
