/**
 * The event loop's turn budget (lib/turn-budget.ts): the synchronous parts of the async steps of
 * concurrent calls are spread over turns of the loop instead of all running in the one turn in
 * which they became ready, and a call waiting for its turn still aborts at once.
 */
import assert from 'node:assert/strict';
import { compress, compressSync, decompress } from '../lib/index';
import { native } from '../lib/native';
import { TURN_BUDGET_MS } from '../lib/turn-budget';
import { text } from './helpers/inputs';

type AsyncMethod = (this: unknown, ...args: unknown[]) => Promise<Buffer>;

/** Counts turns of the event loop: one setImmediate per turn, for as long as it runs. */
function turnCounter(): { readonly turn: () => number; readonly stop: () => void } {
  let turn = 0;
  let timer: NodeJS.Immediate | undefined;
  const tick = (): void => {
    turn += 1;
    timer = setImmediate(tick);
  };
  timer = setImmediate(tick);
  return { turn: () => turn, stop: () => clearImmediate(timer) };
}

/**
 * Replaces `name` on the prototypes of the native compressors and decompressor, for the test's
 * duration, with a version that first busy-waits `costMs` (a step with that much synchronous
 * work) and records the turn it ran in.
 */
function slowSteps(name: string, costMs: number, turns: number[], turn: () => number): () => void {
  const prototypes = [
    native.Compressor.prototype,
    native.ParallelCompressor.prototype,
    native.Decompressor.prototype,
  ] as unknown as Record<string, AsyncMethod>[];
  const originals = prototypes.map((proto) => proto[name]);
  prototypes.forEach((proto, i) => {
    const original = originals[i];
    if (!original) return;
    proto[name] = function (this: unknown, ...args: unknown[]): Promise<Buffer> {
      turns.push(turn());
      const end = performance.now() + costMs;
      while (performance.now() < end); // the step's synchronous work
      return original.apply(this, args);
    };
  });
  return () => {
    prototypes.forEach((proto, i) => {
      const original = originals[i];
      if (original) proto[name] = original;
    });
  };
}

describe('the event loop turn budget', () => {
  const inputs = Array.from({ length: 8 }, (_, i) => text(250_000, 40 + i));

  for (const threads of [1, 2]) {
    it(`spreads the steps of 8 concurrent compress() calls over turns (threads ${threads})`, async () => {
      const turns: number[] = [];
      const counter = turnCounter();
      // Each step costs twice the budget, so a turn has room for exactly one.
      const restore = slowSteps('compressAsync', 2 * TURN_BUDGET_MS, turns, counter.turn);
      let outputs: Buffer[];
      try {
        outputs = await Promise.all(inputs.map((input) => compress(input, { level: 1, threads })));
      } finally {
        restore();
        counter.stop();
      }
      outputs.forEach((output, i) => assert.deepEqual(output, compressSync(inputs[i] ?? '', 1)));
      // 250 kB at level 1: 3 steps a call, 24 in all, never two in one turn.
      assert.equal(turns.length, 24);
      assert.equal(new Set(turns).size, turns.length, `steps by turn: ${turns.join(' ')}`);
    });
  }

  it('lets cheap steps of several calls share a turn', async () => {
    const turns: number[] = [];
    const counter = turnCounter();
    const restore = slowSteps('compressAsync', 0, turns, counter.turn);
    try {
      await Promise.all(inputs.map((input) => compress(input, { level: 1, threads: 1 })));
    } finally {
      restore();
      counter.stop();
    }
    // The 8 first steps start within the calls themselves, in one turn.
    assert.ok(new Set(turns).size < turns.length, `steps by turn: ${turns.join(' ')}`);
  });

  it('spreads decompress() steps too, and a call waiting for its turn aborts at once', async () => {
    const streams = inputs.map((input) => compressSync(input, 1));
    const turns: number[] = [];
    const counter = turnCounter();
    const restore = slowSteps('decompressAsync', 2 * TURN_BUDGET_MS, turns, counter.turn);
    const controller = new AbortController();
    try {
      const calls = streams.map((stream) => decompress(stream));
      // Started last, so it waits behind the others' steps; aborted while it waits.
      const aborted = decompress(streams[0] ?? Buffer.alloc(0), { signal: controller.signal });
      const stepsBefore = turns.length;
      controller.abort();
      await assert.rejects(aborted, { name: 'AbortError', code: 'ABORT_ERR' });
      assert.equal(turns.length, stepsBefore, 'the aborted call made no further step');
      const outputs = await Promise.all(calls);
      outputs.forEach((output, i) => assert.deepEqual(output, inputs[i]));
    } finally {
      restore();
      counter.stop();
    }
    assert.equal(new Set(turns).size, turns.length, `steps by turn: ${turns.join(' ')}`);
  });
});
