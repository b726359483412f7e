/**
 * Decoding of concatenated bzip2 streams with CPython's `bz2.decompress` rules, fed
 * incrementally. It only plans steps and judges their results: the drivers (decompressSync,
 * decompress, createDecompressStream) run each step on a native single-stream decompressor,
 * synchronously or on the thread pool, so all three share this one engine.
 * @internal
 * @packageDocumentation
 */
import { codeOf, detachedError, tooLargeError, truncatedError } from './errors';
import { native, type NativeDecompressor } from './native';
import { DECOMPRESS_INPUT_UNIT, EMPTY } from './units';

/** One native call to make: `decoder.decompress(data, maxLength)` or its async twin. */
export interface DecodeStep {
  readonly decoder: NativeDecompressor;
  readonly data: Uint8Array;
  readonly maxLength: number;
}

export interface DecoderOptions {
  /** The most output bytes in all; more is ERR_BUFFER_TOO_LARGE. */
  readonly limit: number;
  /** The most output bytes one step may produce (Infinity: no cap). */
  readonly stepOutput: number;
  /**
   * Whether output of a stream after the first is held back until that stream ends, so that a
   * stream which turns out corrupt can be ignored whole, as CPython's bz2.decompress does. A
   * streaming consumer cannot take output back, so it ignores only streams that failed before
   * producing any output, and fails on the others.
   */
  readonly holdBack: boolean;
}

export class ConcatenatedDecoder {
  readonly #options: DecoderOptions;
  readonly #input: Uint8Array[] = [];
  #inputBytes = 0;
  #decoder: NativeDecompressor | undefined;
  #streams = 0; // complete streams so far
  #held: Buffer[] = []; // output of the current stream, held back
  #streamBytes = 0; // output of the current stream, held or not
  #ready: Buffer[] = [];
  #total = 0;
  #ignoring = false; // trailing bytes that are not a stream: nothing more to decode

  constructor(options: DecoderOptions) {
    this.#options = options;
  }

  /** Adds input (kept as a view: the caller must not change it until it is used). */
  push(chunk: Uint8Array): void {
    if (this.#ignoring || chunk.length === 0) return;
    this.#input.push(chunk);
    this.#inputBytes += chunk.length;
  }

  /** The next native call to make, or undefined when nothing can be done without more input. */
  next(): DecodeStep | undefined {
    if (this.#ignoring) return undefined;
    let decoder = this.#decoder;
    if (!decoder) {
      if (this.#inputBytes === 0) return undefined;
      decoder = this.#decoder = new native.Decompressor();
    }
    let data: Uint8Array = EMPTY;
    if (decoder.needsInput) {
      if (this.#inputBytes === 0) return undefined;
      data = this.#take(DECOMPRESS_INPUT_UNIT);
    }
    const room = this.#options.limit - this.#total + 1; // one more tells "over the limit"
    return { decoder, data, maxLength: Math.min(room, this.#options.stepOutput) };
  }

  /** Records the output of the step from {@link ConcatenatedDecoder.next}. */
  accept(step: DecodeStep, output: Buffer): void {
    this.#total += output.length;
    if (this.#total > this.#options.limit) throw tooLargeError(this.#options.limit);
    this.#streamBytes += output.length;
    if (output.length > 0) {
      if (this.#options.holdBack && this.#streams > 0) this.#held.push(output);
      else this.#ready.push(output);
    }
    if (step.decoder.eof) {
      const unused = step.decoder.unusedData;
      if (unused.length > 0) {
        this.#input.unshift(unused);
        this.#inputBytes += unused.length;
      }
      this.#ready.push(...this.#held);
      this.#held = [];
      this.#streamBytes = 0;
      this.#decoder = undefined;
      this.#streams++;
    }
  }

  /** Judges an error thrown by the step: rethrows it, or ignores trailing bytes as CPython does. */
  fail(error: unknown): void {
    const trailing =
      codeOf(error) === 'ERR_BZ2_DATA' &&
      this.#streams > 0 &&
      (this.#options.holdBack || this.#streamBytes === 0);
    if (!trailing) throw error;
    for (const part of this.#held) this.#total -= part.length;
    this.#held = [];
    this.#decoder = undefined;
    this.#input.length = 0;
    this.#inputBytes = 0;
    this.#ignoring = true;
  }

  /** At the end of the input: throws ERR_BZ2_TRUNCATED if it ended inside a stream. */
  finish(): void {
    if (this.#decoder && !this.#ignoring) throw truncatedError();
  }

  /** Output that may be handed on, in order; each Buffer is returned once. */
  takeOutput(): Buffer[] {
    const ready = this.#ready;
    this.#ready = [];
    return ready;
  }

  #take(most: number): Uint8Array {
    const head = this.#input[0] ?? EMPTY;
    // Empty chunks are never queued: an empty head is a view whose buffer was detached.
    if (head.byteLength === 0) throw detachedError();
    let piece = head;
    if (head.length > most) {
      piece = head.subarray(0, most);
      this.#input[0] = head.subarray(most);
    } else {
      this.#input.shift();
    }
    this.#inputBytes -= piece.length;
    return piece;
  }
}
