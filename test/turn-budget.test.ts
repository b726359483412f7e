/**
 * The event loop's turn budget (lib/turn-budget.ts): the synchronous parts of the async steps of
 * concurrent calls are spread over turns of the loop instead of all running in the one turn in
 * which they became ready, and a call waiting for its turn still aborts at once.
 */
import assert from 'node:assert/strict';
import { compress, compressSync, createDecompressStream, decompress } from '../lib/index';
import { native } from '../lib/native';
import { TURN_BUDGET_MS } from '../lib/turn-budget';
import { text } from './helpers/inputs';
import { ReferenceCompressor } from './helpers/reference';
import { collect } from './helpers/streams';

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
 * work) and records the turn it ran in and the native object it ran on.
 */
function slowSteps(
  name: string,
  costMs: number,
  turns: number[],
  turn: () => number,
  callers: unknown[] = [],
): () => void {
  const prototypes = [
    ReferenceCompressor.prototype,
    native.ParallelCompressor.prototype,
    native.Decompressor.prototype,
  ] as unknown as Record<string, AsyncMethod>[];
  const originals = prototypes.map((proto) => proto[name]);
  prototypes.forEach((proto, i) => {
    const original = originals[i];
    if (!original) return;
    proto[name] = function (this: unknown, ...args: unknown[]): Promise<Buffer> {
      turns.push(turn());
      callers.push(this);
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
    it(`spreads the later steps of 8 concurrent compress() calls over turns (threads ${threads})`, async () => {
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
      // 250 kB at level 1: 3 steps a call, 24 in all. The 8 first ones run within the calls,
      // in the turn that made them; after that, never two in one turn.
      assert.equal(turns.length, 24);
      const later = turns.filter((turn) => turn > 0);
      assert.equal(turns.length - later.length, 8, `steps by turn: ${turns.join(' ')}`);
      assert.equal(new Set(later).size, later.length, `steps by turn: ${turns.join(' ')}`);
    });
  }

  it('spreads decompress() steps too, and a call waiting for its turn aborts at once', async () => {
    // 2.5 MB of text: steps of about 1 MiB of output.
    const streams = inputs.map((input) => compressSync(Buffer.concat(Array(10).fill(input)), 1));
    const turns: number[] = [];
    const callers: unknown[] = [];
    const counter = turnCounter();
    const restore = slowSteps('decompressAsync', 2 * TURN_BUDGET_MS, turns, counter.turn, callers);
    const controller = new AbortController();
    try {
      const calls = streams.map((stream) => decompress(stream));
      // Started last, so its second step waits behind the others'; aborted once it made its first.
      const aborted = decompress(streams[0] ?? Buffer.alloc(0), { signal: controller.signal });
      controller.abort();
      await assert.rejects(aborted, { name: 'AbortError', code: 'ABORT_ERR' });
      const outputs = await Promise.all(calls);
      outputs.forEach((output, i) =>
        assert.deepEqual(output, Buffer.concat(Array(10).fill(inputs[i]))),
      );
    } finally {
      restore();
      counter.stop();
    }
    const later = turns.filter((turn) => turn > 0);
    assert.equal(turns.length - later.length, 9, `steps by turn: ${turns.join(' ')}`);
    assert.equal(new Set(later).size, later.length, `steps by turn: ${turns.join(' ')}`);
    // The aborted call (the last decoder) made only its first step; the others all theirs.
    const steps = new Map<unknown, number>();
    for (const caller of callers) steps.set(caller, (steps.get(caller) ?? 0) + 1);
    const counts = [...steps.values()];
    assert.equal(counts.length, 9);
    assert.equal(counts[8], 1);
    assert.ok(
      counts.slice(0, 8).every((count) => count === counts[0] && count > 1),
      counts.join(' '),
    );
  });

  it('spreads the steps of 8 concurrent decompress streams over turns', async () => {
    const inputs10 = inputs.map((input) => Buffer.concat(Array(10).fill(input)));
    const streams = inputs10.map((input) => compressSync(input, 1));
    const turns: number[] = [];
    const counter = turnCounter();
    const restore = slowSteps('decompressAsync', 2 * TURN_BUDGET_MS, turns, counter.turn);
    let outputs: Buffer[];
    try {
      outputs = await Promise.all(
        streams.map((stream) => collect([stream], createDecompressStream())),
      );
    } finally {
      restore();
      counter.stop();
    }
    outputs.forEach((output, i) => assert.deepEqual(output, inputs10[i]));
    // A stream's later steps start once its reader has taken the output before them, and the
    // budget gives each a turn of its own (the first ones run in the turn that started them).
    assert.ok(turns.length >= 16, `${turns.length} steps`);
    const counts = new Map<number, number>();
    for (const turn of turns) counts.set(turn, (counts.get(turn) ?? 0) + 1);
    const shared = [...counts.entries()].filter(([turn, n]) => turn > 0 && n > 1);
    assert.deepEqual(shared, [], `steps by turn: ${turns.join(' ')}`);
  });
});
