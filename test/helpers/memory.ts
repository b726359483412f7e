/** Helpers for tests that read V8's external-memory total (native.externalMemory()). */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { native } from '../../lib/native';
import { SLOWDOWN } from './host';

/**
 * Collects garbage until the external-memory total settles: napi finalizers run from the event
 * loop after a GC, and V8 sweeps dead ArrayBuffers in the background, so one gc() is not enough
 * for a measurement that other objects' deaths must not disturb.
 */
export async function settle(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  assert.ok(gc, 'run mocha with --expose-gc');
  // Until V8's external memory holds still: work an earlier test left running (a parallel
  // decoder's step waits for its blocks) may still release memory after the first collections.
  let last = Number.NaN;
  for (let i = 0, still = 0; i < 200 && still < 3; i++) {
    gc();
    await sleep(5);
    const now = native.externalMemory();
    still = now === last ? still + 1 : 0;
    last = now;
  }
}

/**
 * Collects garbage until the external-memory total is at most `limit`, or `deadlineMs` passed;
 * returns the total. For memory that abandoned work gives back only when its threads finish
 * (an aborted parallel decode's blocks in flight run to their end on the pool): that can take
 * seconds on a loaded or emulated machine, and holds still meanwhile between two blocks.
 */
export async function settleBelow(limit: number, deadlineMs = 30_000 * SLOWDOWN): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc;
  assert.ok(gc, 'run mocha with --expose-gc');
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    gc();
    await sleep(10);
    const now = native.externalMemory();
    if (now <= limit || Date.now() > deadline) return now;
  }
}
