/**
 * The one way a plan of native calls is run. An engine writes its plan once, as a generator: it
 * yields the arguments of each native call, is resumed with the call's output (or has the call's
 * error thrown into it, to judge), and returns its result. {@link runSync} makes each call on the
 * calling thread, {@link runAsync} on the thread pool; so the sync and async front doors of an
 * engine share every line of its logic, and none of them writes a loop.
 * @internal
 * @packageDocumentation
 */
import { abortable } from './abort';
import { admit, charged } from './turn-budget';

/** A plan of native calls with arguments `S`, each giving a Buffer, and result `R`. @internal */
export type Steps<S, R> = Generator<S, R, Buffer>;

/** Runs `steps`, making each call with `call` (synchronously). @internal */
export function runSync<S, R>(steps: Steps<S, R>, call: (step: S) => Buffer): R {
  let next = steps.next();
  while (!next.done) {
    let output: Buffer;
    try {
      output = call(next.value);
    } catch (error) {
      next = steps.throw(error);
      continue;
    }
    next = steps.next(output);
  }
  return next.value;
}

/**
 * Runs `steps`, awaiting each call made with `call`. When `signal` aborts, the run rejects with
 * an AbortError at once (the call in flight finishes in the background, its result dropped) and
 * the plan is ended without judging anything more. A call's synchronous part counts against the
 * event loop's turn budget, shared by every run (turn-budget.ts): past it, every call but the
 * first waits for a later turn (with `firstWaits`, the first too: a stream's, whose input is its
 * own until its steps settle). `beforeStep`, if given, runs (and is awaited) before each call's
 * turn is asked for.
 * @internal
 */
export async function runAsync<S, R>(
  steps: Steps<S, R>,
  call: (step: S) => Promise<Buffer>,
  signal?: AbortSignal,
  beforeStep?: () => Promise<void>,
  firstWaits = false,
): Promise<R> {
  let next = steps.next();
  // The first call is made within this one, whatever the budget: a call that needs one step
  // has read (and copied) its input before it returns.
  let first = !firstWaits;
  while (!next.done) {
    let output: Buffer;
    try {
      // A stream first hands on the output so far and waits for its reader.
      if (beforeStep) await abortable(beforeStep(), signal);
      const wait = first ? undefined : admit();
      first = false;
      if (wait) await abortable(wait, signal);
      const step = next.value;
      output = await abortable(
        charged(() => call(step)),
        signal,
      );
    } catch (error) {
      if (signal?.aborted) {
        steps.return(undefined as R); // runs the plan's `finally` blocks only
        throw error;
      }
      next = steps.throw(error);
      continue;
    }
    next = steps.next(output);
  }
  return next.value;
}
