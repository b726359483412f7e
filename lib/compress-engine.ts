/**
 * The one compress engine behind every front door (BZ2Compressor, compressSync / compress, the
 * compress stream): the native block compressor that serves them, the block-by-block loop that
 * feeds it asynchronously, the detach check, empty outputs and cancellation, each written once
 * here.
 * @internal
 * @packageDocumentation
 */
import { construct, native, type NativeParallelCompressor } from './native';
import { runAsync, type Steps } from './steps';
import { compressUnit, ownedConcat } from './units';
import { checkHeld, type HeldInput } from './validate';

/** Receives each non-empty output, in order. @internal */
export type Emit = (output: Buffer) => void;

/** @internal */
export class CompressEngine {
  readonly #native: NativeParallelCompressor;
  readonly #unit: number;
  #broken = false;

  /**
   * The block pipeline (src/parallel/), whatever `threads`, so that every block goes through our
   * codec. With one thread, the synchronous calls compress on the calling thread and the
   * asynchronous ones on the addon's one pool thread; with more, both on the pool. The bytes
   * are libbzip2's either way.
   */
  constructor(level: number, threads: number) {
    this.#native = construct(native.ParallelCompressor, level, threads);
    this.#unit = compressUnit(level);
  }

  /**
   * Whether a call failed or the engine was cancelled: the stream may lack input that was given,
   * so it can never be completed.
   */
  get broken(): boolean {
    return this.#broken;
  }

  /** Feeds `bytes` on the calling thread; returns what the compressor releases now. */
  compress(bytes: Uint8Array): Buffer {
    try {
      return this.#native.compress(bytes);
    } catch (error) {
      this.#broken = true;
      throw error;
    }
  }

  /** Ends the stream on the calling thread; returns the rest of it. */
  flush(): Buffer {
    return this.#native.flush();
  }

  /** The whole stream for `bytes`, on the calling thread. */
  compressWhole(bytes: Uint8Array): Buffer {
    const parts: Buffer[] = [];
    keep(parts, this.#native.compress(bytes));
    keep(parts, this.#native.flush());
    return ownedConcat(parts);
  }

  /**
   * Feeds `input` on the thread pool (or the addon's threads), one block's worth per step so
   * that no step holds a thread much longer than a block; each step copies the part it reads as
   * it starts, so there is no large copy up front. The caller leaves the input untouched until
   * this settles, as with `node:zlib`.
   * @throws (rejects) `ERR_INVALID_STATE` when the input was detached or resized meanwhile, an
   * AbortError when `signal` aborts, or the compressor's error; the engine is then cancelled.
   */
  write(input: HeldInput, emit: Emit, signal?: AbortSignal): Promise<void> {
    return this.#run(this.#feed(input, emit), signal);
  }

  /** Ends the stream asynchronously; the rest of it goes to `emit`. */
  end(emit: Emit, signal?: AbortSignal): Promise<void> {
    return this.#run(this.#finish(emit), signal);
  }

  /**
   * Stops the work: queued blocks are dropped, a step in flight rejects with `ABORT_ERR` once it
   * ends, and so do later calls; native memory goes as soon as no thread uses it.
   */
  cancel(): void {
    this.#broken = true;
    this.#native.cancel();
  }

  async #run(steps: Steps<Uint8Array | undefined, void>, signal?: AbortSignal): Promise<void> {
    try {
      await runAsync(
        steps,
        (part) =>
          part === undefined ? this.#native.flushAsync() : this.#native.compressAsync(part),
        signal,
      );
    } catch (error) {
      this.cancel();
      throw error;
    }
  }

  /** The compress steps for `input` (each yields the part to feed). */
  *#feed(input: HeldInput, emit: Emit): Steps<Uint8Array, void> {
    for (let offset = 0; offset < input.length; offset += this.#unit) {
      checkHeld(input);
      const output = yield input.bytes.subarray(offset, offset + this.#unit);
      if (output.length > 0) emit(output);
    }
  }

  /** The flush step (undefined: no input). */
  *#finish(emit: Emit): Steps<undefined, void> {
    const output = yield undefined;
    if (output.length > 0) emit(output);
  }
}

function keep(parts: Buffer[], output: Buffer): void {
  if (output.length > 0) parts.push(output);
}
