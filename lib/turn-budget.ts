/**
 * How much main-thread time the async steps of every call together may take in one turn of the
 * event loop. A step's synchronous part (cutting and copying about a block of input, about
 * 0.3-0.6 ms a MB) is small, but the steps of concurrent calls become ready together and would
 * otherwise all run in the same turn: eight `compress()` calls started at once stalled the loop
 * for 30-50 ms. Past the budget, a step waits for a later turn (after timers and I/O have run);
 * waiting steps go in the order they came. A call's first step is never held back (lib/steps.ts):
 * it runs within the call, as its caller chose, and counts against the budget.
 * @internal
 * @packageDocumentation
 */
import { performance } from 'node:perf_hooks';

/** Main-thread time per turn, in ms, after which further steps wait for the next turn. */
export const TURN_BUDGET_MS = 1;

let spent = 0;
let turnScheduled = false;
const waiting: (() => void)[] = [];

/** Starts a new turn's budget once the loop has turned (setImmediate runs after I/O, before the next timers). */
function scheduleTurn(): void {
  if (turnScheduled) return;
  turnScheduled = true;
  setImmediate(() => {
    turnScheduled = false;
    spent = 0;
    admitWaiting();
    // A woken step that never ran (its call aborted) charges nothing; the queue still moves on.
    if (waiting.length > 0) scheduleTurn();
  });
}

/** Wakes the next waiting step if the budget allows; it wakes the one after it when charged. */
function admitWaiting(): void {
  if (spent < TURN_BUDGET_MS) waiting.shift()?.();
}

/**
 * Undefined when a step may run now; otherwise a promise that resolves in a later turn, when
 * its turn comes.
 */
export function admit(): Promise<void> | undefined {
  if (spent < TURN_BUDGET_MS && waiting.length === 0) return undefined;
  scheduleTurn();
  return new Promise((resolve) => waiting.push(resolve));
}

/** Runs the synchronous part of a step and charges its time to this turn. */
export function charged<T>(step: () => T): T {
  const start = performance.now();
  try {
    return step();
  } finally {
    spent += performance.now() - start;
    scheduleTurn();
    admitWaiting();
  }
}
