/**
 * Every asynchronous native method keeps its object alive until its promise settles, even when
 * nothing else refers to the object: otherwise the GC would collect the wrapper mid-flight and its
 * finalizer would free the libbzip2 state (or the pipeline) that a worker thread is still using.
 *
 * Each case runs in a child process, started with only the promise in hand
 * (`const p = new native.X(...).method(...); gc(); await p`), and checks two things: a WeakRef to
 * the object still derefs after a full GC while the call is pending, and the call's output is
 * right. Removing the keep-alive (the strong reference in src/napi/pending_call.h) turns every
 * case red: the WeakRef is empty, and the child may crash outright, which is why it is a child.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runNode } from './helpers/node-process';

const NATIVE = JSON.stringify(join(__dirname, '..', 'lib', 'native.ts'));

/** What a case's child reports. */
interface Report {
  readonly pending: boolean;
  readonly alive: boolean;
  readonly correct: boolean;
}

/**
 * Runs `start` (an expression that makes a native object, starts one async call on it and
 * returns `[object, promise]` without keeping the object anywhere else) and `check` (a function
 * body with `object` and `output` in scope, returning whether the output is right) in a child.
 */
function runCase(start: string, check: string): Report {
  const script = `
    require('tsx/cjs');
    const { native } = require(${NATIVE});
    const data = Buffer.alloc(4_000_000);
    for (let i = 0, x = 1; i < data.length; i++) {
      x ^= x << 13; x ^= x >>> 17; x ^= x << 5; // xorshift32
      data[i] = 97 + ((x >>> 0) % 8); // 3 bits a byte: neither trivial to sort nor to decode
    }
    let settled = false;
    function begin() {
      const [object, promise] = (${start})();
      promise.then(() => { settled = true; }); // refers to the promise only
      return { ref: new WeakRef(object), promise };
    }
    (async () => {
      const { ref, promise } = begin();
      // A WeakRef holds its target until the current job ends; after that only real
      // references (the keep-alive) do.
      await new Promise((resolve) => setImmediate(resolve));
      global.gc();
      const pending = !settled;
      const alive = ref.deref() !== undefined;
      // Said at once: without the keep-alive, the child may crash before it reports.
      process.stderr.write('after the GC: pending ' + pending + ', alive ' + alive + '\\n');
      const output = await promise;
      const correct = await (async (object, output) => { ${check} })(ref.deref(), output);
      process.stdout.write(JSON.stringify({ pending, alive, correct }));
    })().catch((error) => {
      process.stderr.write(String(error && error.stack || error));
      process.exit(2);
    });
  `;
  const run = runNode(script, { exposeGc: true, timeoutSeconds: 60 });
  assert.equal(
    run.status,
    0,
    `the child failed (${run.signal ?? run.status}): ${run.stderr.slice(0, 1000)}`,
  );
  return JSON.parse(run.stdout) as Report;
}

function expectKeptAlive(start: string, check: string): void {
  const report = runCase(start, check);
  // Otherwise the case proves nothing: its input must keep the call busy past the GC.
  assert.ok(report.pending, 'the call settled before the GC ran');
  assert.ok(report.alive, 'the object was collected while its call was pending');
  assert.ok(report.correct, 'the call gave the wrong output');
}

/** The reference a check compares with: `part` compressed at `level` by a fresh object. */
function whole(level: number, part = 'data'): string {
  return `
    const reference = new native.Compressor(${level});
    const expected = Buffer.concat([reference.compress(${part}), reference.flush()]);
  `;
}

// Each call below runs for 50 ms or more (measured here: 0.3 s for 4 MB at level 9, 55 ms for
// the one 850 kB block, 0.2 s for 40 level-1 blocks on one thread, which resolves only once fewer
// than two are in flight, 0.14 s to decode 4 MB), against a few ms for the GC.
const BLOCK = 'data.subarray(0, 850_000)';

describe('async native calls keep their object alive while pending (GC mid-flight)', () => {
  it('Compressor.compressAsync', () => {
    expectKeptAlive(
      `() => { const c = new native.Compressor(9); return [c, c.compressAsync(data)]; }`,
      `${whole(9)} return Buffer.concat([output, object.flush()]).equals(expected);`,
    );
  });

  it('Compressor.flushAsync', () => {
    expectKeptAlive(
      `() => {
        const c = new native.Compressor(9);
        globalThis.head = c.compress(${BLOCK}); // less than a block: all of it waits for flush
        return [c, c.flushAsync()];
      }`,
      `${whole(9, BLOCK)} return Buffer.concat([globalThis.head, output]).equals(expected);`,
    );
  });

  it('ParallelCompressor.compressAsync', () => {
    expectKeptAlive(
      `() => { const c = new native.ParallelCompressor(1, 1); return [c, c.compressAsync(data)]; }`,
      `${whole(1)} return Buffer.concat([output, object.flush()]).equals(expected);`,
    );
  });

  it('ParallelCompressor.flushAsync', () => {
    expectKeptAlive(
      `() => {
        const c = new native.ParallelCompressor(9, 2);
        globalThis.head = c.compress(${BLOCK});
        return [c, c.flushAsync()];
      }`,
      `${whole(9, BLOCK)} return Buffer.concat([globalThis.head, output]).equals(expected);`,
    );
  });

  it('Decompressor.decompressAsync', () => {
    expectKeptAlive(
      `() => {
        const source = new native.Compressor(9);
        const stream = Buffer.concat([source.compress(data), source.flush()]);
        const d = new native.Decompressor(false);
        return [d, d.decompressAsync(stream, -1)];
      }`,
      `return output.equals(data) && object.eof;`,
    );
  });
});
