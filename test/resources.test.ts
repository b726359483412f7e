/**
 * A service must not fall over on a small hostile file: memory stays bounded by a small constant
 * whatever the number of streams or of dropped objects, and time stays linear in the input.
 * Peak RSS is measured in a child process (test/helpers/child.ts). Each case is a defect that
 * main once had (issue 9), with the figure it had then in its comment.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { BZ2Decompressor, compressSync, createDecompressStream, decompress } from '../lib/index';
import { native } from '../lib/native';
import { measureInChild, mib } from './helpers/child';
import { settle } from './helpers/memory';
import { Prng } from './helpers/inputs';
import { ReferenceCompressor } from './helpers/reference';
import { havePython } from './helpers/python';
import { SANITIZED, SLOWDOWN } from './helpers/host';
import { collect } from './helpers/streams';

const MiB = 1 << 20;

/** CPython's bz2.decompress on `data`: its time in seconds and its output length. */
function pythonDecompress(data: Buffer): { seconds: number; length: number } {
  const script = `
import bz2, json, sys, time
data = sys.stdin.buffer.read()
start = time.perf_counter()
out = bz2.decompress(data)
print(json.dumps({'seconds': time.perf_counter() - start, 'length': len(out)}))
`;
  const run = spawnSync('python3', ['-c', script], { input: data, encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout) as { seconds: number; length: number };
}

describe('memory and time under hostile input', () => {
  it('decompressSync of 20,000 concatenated empty streams: bounded memory, linear time', () => {
    // Was 2.84 GB and 2.8-7 s: each stream kept a copy of the rest of the input until GC.
    const result = measureInChild(`
      const data = Buffer.concat(Array(20000).fill(b.compressSync('')));
      measure(() => ({ length: b.decompressSync(data).length, external: native.externalMemory() }));
    `);
    assert.equal(result['length'], 0);
    assert.ok(result.grew < 64 * MiB, `peak RSS grew by ${mib(result.grew)}`);
    // Was seconds; 0.003 s here. (A sanitizer's allocator makes each stream's 3.6 MB cost ms.)
    if (!SANITIZED) assert.ok(result.seconds < 1, `${result.seconds} s`);
  });

  it("Python's idiom (a BZ2Decompressor per stream, unusedData for the rest) stays linear", () => {
    // Was 1.19 GB for a 33 MB file (memory grew with the square of the file size): each
    // decompressor kept a private copy of the rest, freed only when the event loop turned.
    const result = measureInChild(`
      const crypto = require('node:crypto');
      const streams = [];
      for (let i = 0; i < 33; i++) streams.push(b.compressSync(crypto.randomBytes(300000), { level: 3, threads: 1 }));
      let data = Buffer.concat(streams);
      const size = data.length;
      measure(() => {
        let count = 0, out = 0;
        while (data.length) {
          const d = new b.BZ2Decompressor();
          out += d.decompress(data).length;
          data = d.unusedData;
          count++;
        }
        return { count, out, size };
      });
    `);
    assert.equal(result['count'], 33);
    assert.equal(result['out'], 33 * 300000);
    const size = result['size'] as number;
    // CPython holds the rest twice (its input and unused_data); V8 frees the garbage later. Not
    // under a sanitizer: its allocator keeps freed memory in quarantine (up to 256 MB), so the
    // peak is its, not ours (seen: 150 to 200 MiB there, 50 MiB here, against a bound of 89).
    if (!SANITIZED) {
      assert.ok(result.grew < 6 * size + 32 * MiB, `peak RSS grew by ${mib(result.grew)}`);
    }
  });

  it('many tiny streams are linear in decompress() and the stream, within 2x Python', async () => {
    // Was 11.6 s and 13.0 s for 75,000 streams, Python 1.5 s: each stream end copied the rest
    // of the 1 MiB input window, natively and again in the unusedData getter.
    const data = Buffer.concat(Array(40000).fill(compressSync('')));
    const python = havePython() ? pythonDecompress(data).seconds : 0.25;
    let start = performance.now();
    assert.equal((await decompress(data)).length, 0);
    const promise = (performance.now() - start) / 1000;
    start = performance.now();
    assert.equal((await collect([data], createDecompressStream())).length, 0);
    const stream = (performance.now() - start) / 1000;
    const bound = 2 * python + 0.05;
    assert.ok(promise < bound, `decompress() ${promise} s, Python ${python} s`);
    assert.ok(stream < bound, `stream ${stream} s, Python ${python} s`);
  });

  it('decompressAsync with a small maxLength is linear in the input, as decompress is', async function () {
    // Was 46.8 s against 6.9 s synchronous for an 80 MB stream: each async call copied all the
    // input still buffered.
    this.timeout(60000 * SLOWDOWN);
    const raw = new Prng(41).bytes(16_000_000); // as much input as output: copies show
    // Level 1: the blocks' size plays no part here, and random data sorts slowly at level 9.
    const packed = compressSync(raw, { level: 1, threads: 2 });
    const empty = new Uint8Array(0);
    const drain = async (useAsync: boolean): Promise<number> => {
      const start = performance.now();
      const d = new BZ2Decompressor();
      let out = useAsync
        ? (await d.decompressAsync(packed, 16384)).length
        : d.decompress(packed, 16384).length;
      while (!d.eof) {
        out += useAsync
          ? (await d.decompressAsync(empty, 16384)).length
          : d.decompress(empty, 16384).length;
      }
      assert.equal(out, raw.length);
      return performance.now() - start;
    };
    const times: number[] = [];
    for (let i = 0; i < 2; i++) times.push((await drain(true)) / (await drain(false)));
    const ratio = Math.min(...times);
    // The copying bug made it 6.8; a linear async path is 1.1-1.5 here, and 1.63 was seen under
    // ASan beside the command-line tests' child processes, so the bound leaves room for load.
    assert.ok(ratio < 2.5, `async/sync ${ratio.toFixed(2)}`);
  });

  it('dropped decompressors and compressors give their memory back inside a synchronous loop', () => {
    // Was 1.14 GB for 300 decompressors dropped mid-stream (Python 24 MB), and 300 MB for 300
    // compressors holding a block each: native memory waited for finalizers, which Node runs
    // only when the event loop turns.
    const result = measureInChild(`
      const text = Buffer.alloc(3000000);
      for (let i = 0; i < text.length; i++) text[i] = 97 + ((i * 2654435761) >>> 24) % 17;
      const half = b.compressSync(text, 9).subarray(0, 250000);
      measure(() => {
        for (let i = 0; i < 300; i++) new b.BZ2Decompressor().decompress(half, 1000);
        for (let i = 0; i < 300; i++) new b.BZ2Compressor(9).compress(text.subarray(0, 800000));
      });
    `);
    assert.ok(result.grew < 200 * MiB, `peak RSS grew by ${mib(result.grew)}`);
  });

  it('frees the native memory of collected objects at the next construction, with no await', async () => {
    // The mechanism behind the figure above, for every class: gc() collects the wrappers but
    // only queues their finalizers; the next new object finds them and frees their memory.
    const gc = (globalThis as { gc?: () => void }).gc;
    assert.ok(gc, 'run mocha with --expose-gc');
    const half = compressSync(Buffer.alloc(2_000_000, 'ab'), 9).subarray(0, 20); // no whole block
    const makers: Record<string, () => object> = {
      Decompressor: () => {
        const decompressor = new native.Decompressor(false);
        decompressor.decompress(half, 1);
        return decompressor;
      },
      Compressor: () => {
        const compressor = new ReferenceCompressor(9);
        compressor.compress(new Uint8Array(10));
        return compressor;
      },
      ParallelCompressor: () => {
        const compressor = new native.ParallelCompressor(9, 2);
        compressor.compress(new Uint8Array(10));
        return compressor;
      },
    };
    for (const [name, make] of Object.entries(makers)) {
      await settle(); // earlier garbage freed first; from here on, no await
      new native.Decompressor(false); // a look at the objects of earlier tests
      const before = native.externalMemory();
      let live: object[] = [];
      for (let i = 0; i < 20; i++) live.push(make());
      const held = native.externalMemory() - before;
      assert.ok(held > 20 * 1_000_000, `${name}: ${held} bytes reported`);
      live = [];
      gc();
      new native.Decompressor(false);
      const left = native.externalMemory() - before;
      assert.ok(left < held / 10, `${name}: ${left} of ${held} bytes still held (${live.length})`);
    }
  });
});
