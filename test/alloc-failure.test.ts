/**
 * Out of memory at any moment: every allocation the addon makes during an operation is made to
 * fail in turn (the N-th, for every N), and each run must give the right output or a coded
 * ERR_BZ2_MEMORY, never a crash, a hang or wrong bytes. Runs only in the allocation-failure build
 * (npm run test:alloc, under ASan + LSan, which also catches leaks on the failure paths).
 */
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  BZ2Compressor,
  BZ2Decompressor,
  compress,
  compressSync,
  createCompressStream,
  createDecompressStream,
  decompress,
  decompressSync,
} from '../lib/index';
import { native } from '../lib/native';
import { Prng, text } from './helpers/inputs';

interface FailureHooks {
  failAllocationAt(n: number): void;
  allocationCount(): number;
}
const hooks = native as unknown as Partial<FailureHooks>;

// Two level-1 blocks (several for the pipeline to cut and join), compressible and not.
const INPUT = Buffer.concat([text(120_000, 3), new Prng(4).bytes(60_000)]);
const PACKED = compressSync(INPUT, { level: 1, threads: 1 });

interface Operation {
  readonly name: string;
  readonly run: () => Buffer | Promise<Buffer>;
  /** Whether a run's output is right. */
  readonly right: (output: Buffer) => boolean;
}

const compressed = (output: Buffer): boolean => output.equals(PACKED);
const decompressed = (output: Buffer): boolean => output.equals(INPUT);

const chunks = (data: Buffer, size: number): Buffer[] => {
  const out: Buffer[] = [];
  for (let at = 0; at < data.length; at += size) out.push(data.subarray(at, at + size));
  return out;
};

const OPERATIONS: readonly Operation[] = [
  {
    name: 'compressSync, 1 thread',
    run: () => compressSync(INPUT, { level: 1, threads: 1 }),
    right: compressed,
  },
  {
    name: 'compressSync, 2 threads',
    run: () => compressSync(INPUT, { level: 1, threads: 2 }),
    right: compressed,
  },
  {
    name: 'compress, 2 threads',
    run: () => compress(INPUT, { level: 1, threads: 2 }),
    right: compressed,
  },
  { name: 'decompressSync', run: () => decompressSync(PACKED), right: decompressed },
  { name: 'decompress', run: () => decompress(PACKED), right: decompressed },
  {
    // One thread: the blocks are compressed on this thread, by the pipeline's own encoder.
    name: 'BZ2Compressor, sync in chunks',
    run: () => {
      const compressor = new BZ2Compressor(1);
      const parts = chunks(INPUT, 50_000).map((chunk) => compressor.compress(chunk));
      parts.push(compressor.flush());
      return Buffer.concat(parts);
    },
    right: compressed,
  },
  {
    name: 'BZ2Compressor, 2 threads, sync then async',
    run: async () => {
      const compressor = new BZ2Compressor(1, { threads: 2 });
      const [first, ...rest] = chunks(INPUT, 90_000);
      const parts = [compressor.compress(first ?? Buffer.alloc(0))];
      for (const chunk of rest) parts.push(await compressor.compressAsync(chunk));
      parts.push(await compressor.flushAsync());
      return Buffer.concat(parts);
    },
    right: compressed,
  },
  {
    name: 'BZ2Compressor, async in chunks',
    run: async () => {
      const compressor = new BZ2Compressor(1);
      const parts: Buffer[] = [];
      for (const chunk of chunks(INPUT, 50_000)) parts.push(await compressor.compressAsync(chunk));
      parts.push(await compressor.flushAsync());
      return Buffer.concat(parts);
    },
    right: compressed,
  },
  {
    name: 'BZ2Decompressor, in chunks with maxLength',
    run: () => {
      const decompressor = new BZ2Decompressor();
      const parts: Buffer[] = [];
      for (const chunk of chunks(PACKED, 20_000)) {
        parts.push(decompressor.decompress(chunk, 50_000));
        while (!decompressor.needsInput && !decompressor.eof) {
          parts.push(decompressor.decompress(Buffer.alloc(0), 50_000));
        }
      }
      return Buffer.concat(parts);
    },
    right: decompressed,
  },
  {
    name: 'compress stream (2 threads) into decompress stream',
    run: async () => {
      const sink = createDecompressStream();
      const parts: Buffer[] = [];
      sink.on('data', (part: Buffer) => parts.push(part));
      await pipeline(
        Readable.from(chunks(INPUT, 30_000)),
        createCompressStream({ level: 1, threads: 2 }),
        sink,
      );
      return Buffer.concat(parts);
    },
    right: decompressed,
  },
];

describe('every allocation of an operation failing in turn', function () {
  const { failAllocationAt, allocationCount } = hooks;
  if (!failAllocationAt || !allocationCount) {
    it.skip('skipped: needs the allocation-failure build (npm run test:alloc)');
    return;
  }

  afterEach(() => {
    failAllocationAt(0);
  });

  for (const operation of OPERATIONS) {
    it(`${operation.name}: the right output or ERR_BZ2_MEMORY, whichever allocation fails`, async () => {
      failAllocationAt(0);
      assert.ok(operation.right(await operation.run()), 'wrong output with no failure');
      const total = allocationCount();
      assert.ok(total > 0, 'no allocation was counted');
      let failures = 0;
      // A few more than one clean run made: threads may allocate a little differently each time.
      for (let n = 1; n <= total + 8; n++) {
        failAllocationAt(n);
        let output: Buffer | undefined;
        let error: unknown;
        try {
          output = await operation.run();
        } catch (caught) {
          error = caught;
        }
        failAllocationAt(0);
        if (output === undefined) {
          const code = (error as { code?: unknown } | null)?.code;
          assert.equal(code, 'ERR_BZ2_MEMORY', `allocation ${n} of ${total}: ${String(error)}`);
          failures++;
        } else {
          assert.ok(operation.right(output), `allocation ${n} of ${total}: wrong output`);
        }
      }
      assert.ok(failures > 0, 'no failure reached the caller');
    });
  }
});
