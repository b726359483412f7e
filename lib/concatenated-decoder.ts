/**
 * Decoding of concatenated bzip2 streams with CPython's `bz2.decompress` rules, fed
 * incrementally. Its plan of native calls is written once ({@link ConcatenatedDecoder.steps})
 * and run on one native decoder synchronously or on the thread pool (lib/steps.ts), so each
 * driver (decompressSync, decompress, createDecompressStream) is one call.
 *
 * One native decoder reads the streams back to back: a step may end any number of streams (so
 * thousands of tiny streams cost one step), and reports how many ended and where the last of
 * them ended in its output. It frees libbzip2's memory at each stream end, and a failure in a
 * stream after one that ended in the same step comes back from the next step, so the output of
 * complete streams is judged before it.
 * @internal
 * @packageDocumentation
 */
import { codeOf, tooLargeError, truncatedError } from './errors';
import { InputQueue } from './input-queue';
import { construct, native, type NativeDecompressor } from './native';
import { runAsync, runSync, type Steps } from './steps';
import { EMPTY } from './units';

/** One native call to make: `decoder.decompress(data, maxLength)` or its async twin. */
export interface DecodeStep {
  readonly data: Uint8Array;
  readonly maxLength: number;
  /** No input follows `data`. */
  readonly last: boolean;
}

export interface DecoderOptions {
  /** The most output bytes in all; more is ERR_BUFFER_TOO_LARGE. */
  readonly limit: number;
  /** Threads to decode with: above 1, the blocks of a stream are decoded at once. */
  readonly threads: number;
  /** The most output bytes one step may produce (Infinity: no cap). */
  readonly stepOutput: number;
  /** The most input bytes one step may read (Infinity: a whole chunk, read in place). */
  readonly stepInput: number;
  /**
   * Whether output of a stream after the first is held back until that stream ends, so that a
   * stream which turns out corrupt can be ignored whole, as CPython's bz2.decompress does. A
   * streaming consumer cannot take output back, so it ignores only streams that failed before
   * producing any output, and fails on the others.
   */
  readonly holdBack: boolean;
}

export class ConcatenatedDecoder {
  /** The native decoder every step runs on. */
  readonly #decoder: NativeDecompressor;
  readonly #options: DecoderOptions;
  readonly #input = new InputQueue();
  #streams = 0; // complete streams so far
  #held: Buffer[] = []; // output of the current stream, held back
  #streamBytes = 0; // output of the current stream, held or not
  #ready: Buffer[] = [];
  #total = 0;
  #ignoring = false; // trailing bytes that are not a stream: nothing more to decode
  #inputEnded = false; // endInput() was called
  #toldLast = false; // a step has taken the last of the input, knowing it was the last

  constructor(options: DecoderOptions) {
    this.#options = options;
    // The native decoder needs the limit only to decode no block past it in parallel.
    const limit = Number.isFinite(options.limit) ? options.limit : undefined;
    this.#decoder = construct(native.Decompressor, true, options.threads, limit);
  }

  /** Adds input (kept as a view: the caller must not change it until it is used). */
  push(chunk: Uint8Array): void {
    if (!this.#ignoring) this.#input.push(chunk);
  }

  /**
   * Says that no input follows what was pushed, so that the native decoder decides what the
   * input leaves unresolved (a parallel decoder holds a block until it sees what follows it).
   */
  endInput(): void {
    this.#inputEnded = true;
  }

  /** Decodes all the input so far allows, on the calling thread (input read in place). */
  runSync(): void {
    this.#closeOnError(() => {
      runSync(this.#steps(), (step) =>
        this.#decoder.decompress(step.data, step.maxLength, step.last),
      );
    });
  }

  /**
   * Decodes all the input so far allows, on the thread pool. `beforeStep` runs before each
   * native call (the stream hands on output there and waits for its reader). An abort of
   * `signal` rejects at once; the decoder's memory goes once the step in flight ends.
   */
  runAsync(signal?: AbortSignal, beforeStep?: () => Promise<void>): Promise<void> {
    return this.#closeOnError(() =>
      runAsync(
        this.#steps(),
        (step) => this.#decoder.decompressAsync(step.data, step.maxLength, step.last),
        signal,
        beforeStep,
        // A stream's steps all wait for their turn: it runs one at every write and at the end.
        beforeStep !== undefined,
      ),
    );
  }

  /** The native calls that decode the input so far, each result judged by CPython's rules. */
  *#steps(): Steps<DecodeStep, void> {
    for (let step = this.#next(); step; step = this.#next()) {
      let output: Buffer;
      try {
        output = yield step;
      } catch (error) {
        this.#fail(error);
        continue;
      }
      if (step.last && this.#decoder.consumed === step.data.length) this.#toldLast = true;
      this.#accept(output);
    }
  }

  /**
   * At the end of the input: frees the decoder, and throws ERR_BZ2_TRUNCATED if the input ended
   * inside a stream.
   */
  end(): void {
    this.#closeOnError(() => {
      if (this.#decoder.inStream && !this.#ignoring) throw truncatedError();
    });
    this.close();
  }

  /** Frees the native decoder's memory now, whatever state it is in (idempotent). */
  close(): void {
    this.#decoder.close();
  }

  /** `work()`, the decoder freed if it throws or its promise rejects. */
  #closeOnError<T>(work: () => T): T {
    const fail = (error: unknown): never => {
      this.close();
      throw error;
    };
    try {
      const result = work();
      return result instanceof Promise ? (result.catch(fail) as T) : result;
    } catch (error) {
      return fail(error);
    }
  }

  /** The next native call to make, or undefined when nothing can be done without more input. */
  #next(): DecodeStep | undefined {
    if (this.#ignoring) return undefined;
    let data: Uint8Array = EMPTY;
    if (this.#decoder.needsInput) {
      if (this.#input.length === 0) {
        // Once, at the end: the decoder is told that nothing follows.
        if (!this.#inputEnded || this.#toldLast) return undefined;
      } else {
        data = this.#input.peek(this.#options.stepInput);
      }
    }
    const room = this.#options.limit - this.#total + 1; // one more tells "over the limit"
    return {
      data,
      maxLength: Math.min(room, this.#options.stepOutput),
      last: this.#inputEnded && data.length === this.#input.length,
    };
  }

  /** Records the output of a step. */
  #accept(output: Buffer): void {
    const decoder = this.#decoder;
    this.#input.advance(decoder.consumed);
    this.#total += output.length;
    if (this.#total > this.#options.limit) throw tooLargeError(this.#options.limit);
    const ended = decoder.streamsEnded;
    // Output before the last stream end in this step belongs to complete streams; after it, to
    // the stream now under way.
    const cut = ended > 0 ? decoder.lastEndOutput : 0;
    if (ended > 0) {
      this.#ready.push(...this.#held);
      this.#held = [];
      this.#streams += ended;
      this.#streamBytes = 0;
    }
    this.#streamBytes += output.length - cut;
    if (output.length === 0) return;
    if (!this.#options.holdBack) {
      this.#ready.push(output);
    } else if (this.#streams === 0 || cut === output.length) {
      this.#ready.push(output);
    } else {
      if (cut > 0) this.#ready.push(output.subarray(0, cut));
      this.#held.push(output.subarray(cut));
    }
  }

  /** Judges an error thrown by a step: rethrows it, or ignores trailing bytes as CPython does. */
  #fail(error: unknown): void {
    const trailing =
      codeOf(error) === 'ERR_BZ2_DATA' &&
      this.#streams > 0 &&
      (this.#options.holdBack || this.#streamBytes === 0);
    if (!trailing) throw error;
    for (const part of this.#held) this.#total -= part.length;
    this.#held = [];
    this.#input.clear();
    this.#ignoring = true;
  }

  /** Whether bytes after the last complete stream were ignored, not being a stream. */
  get ignoredTrailing(): boolean {
    return this.#ignoring;
  }

  /** Output that may be handed on, in order; each Buffer is returned once. */
  takeOutput(): Buffer[] {
    const ready = this.#ready;
    this.#ready = [];
    return ready;
  }
}
