/**
 * One case of the memory measurement (bench/memory.ts), alone in a fresh process so that its
 * peak resident set is its own: `node --expose-gc --import tsx bench/memory-child.ts CASE FILE`
 * compresses FILE once (the decompress cases: decompresses it) as CASE says and prints one JSON line (a {@link ChildReport}).
 *
 * The peak is Linux's VmHWM, reset to the current resident set (writing 5 to
 * /proc/self/clear_refs) right before the compression, after a warm-up of the same case on a
 * few kB (code paged in, threads started) and garbage collection: so it is what the one
 * compression added at its worst moment, beyond the input already in memory.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  BZ2Compressor,
  compress,
  compressSync,
  createDecompressStream,
  type DecompressOptions,
} from '../lib/index';
import { ReferenceCompressor } from '../test/helpers/reference';
import { BLOCK_BYTES, LEVEL } from './settings';

/** What the child prints. Bytes; undefined peak when the system cannot reset VmHWM. */
export interface ChildReport {
  readonly peakAboveBaseline: number | undefined;
  readonly baseline: number;
  readonly outputBytes: number;
  readonly seconds: number;
}

const gc = (globalThis as { gc?: () => void }).gc;

/** A field of /proc/self/status, in bytes (the file gives kB). */
function status(field: 'VmRSS' | 'VmHWM'): number {
  const text = readFileSync('/proc/self/status', 'utf8');
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text);
  if (!match?.[1]) throw new Error(`no ${field} in /proc/self/status`);
  return Number(match[1]) * 1024;
}

function resetPeak(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

async function collect(): Promise<void> {
  if (!gc) throw new Error('run with --expose-gc');
  for (let i = 0; i < 3; i++) {
    gc();
    await sleep(10);
  }
}

/** `data` in pieces of `size` bytes. */
function* pieces(data: Buffer, size: number): Generator<Buffer> {
  for (let offset = 0; offset < data.length; offset += size) {
    yield data.subarray(offset, offset + size);
  }
}

/**
 * Runs `name` on `data`; returns the output's length. The cases fed in pieces drop each output
 * as it comes, collect garbage and let the event loop turn after every piece (the native
 * outputs are freed by finalisers that run from the loop), so that no output is held: what the
 * peak shows is the compressor's own memory.
 */
async function run(name: string, data: Buffer): Promise<number> {
  const [kind, count] = name.split(':');
  const threads = Number(count ?? 1);
  let output = 0;
  const drop = async (part: Buffer | Promise<Buffer>): Promise<void> => {
    output += (await part).length;
    // Collected, and a turn of the event loop for the finalisers that free native outputs.
    gc?.();
    await new Promise((resolve) => setImmediate(resolve));
  };
  switch (kind) {
    case 'libbzip2-sync': {
      const compressor = new ReferenceCompressor(LEVEL);
      for (const piece of pieces(data, BLOCK_BYTES)) await drop(compressor.compress(piece));
      await drop(compressor.flush());
      return output;
    }
    case 'libbzip2-async': {
      const compressor = new ReferenceCompressor(LEVEL);
      for (const piece of pieces(data, BLOCK_BYTES)) await drop(compressor.compressAsync(piece));
      await drop(compressor.flushAsync());
      return output;
    }
    case 'libbzip2-whole': {
      const compressor = new ReferenceCompressor(LEVEL);
      return Buffer.concat([compressor.compress(data), compressor.flush()]).length;
    }
    case 'ours-sync': {
      // Pieces of `threads` blocks, so that the sync call has a block for each thread.
      const compressor = new BZ2Compressor(LEVEL, { threads });
      for (const piece of pieces(data, threads * BLOCK_BYTES)) {
        await drop(compressor.compress(piece));
      }
      await drop(compressor.flush());
      return output;
    }
    case 'ours-async': {
      // Each call settles once fewer than 2 × threads blocks are in flight.
      const compressor = new BZ2Compressor(LEVEL, { threads });
      for (const piece of pieces(data, BLOCK_BYTES)) await drop(compressor.compressAsync(piece));
      await drop(compressor.flushAsync());
      return output;
    }
    case 'compressSync':
      return compressSync(data, { level: LEVEL, threads }).length;
    case 'compress':
      return (await compress(data, { level: LEVEL, threads })).length;
    case 'decompress-stream': {
      // FILE is bzip2 data: fed in 64 kB pieces, each output chunk dropped as it comes. The
      // options as bench/contenders.ts types them: `threads` whether or not lib declares it yet.
      const options: DecompressOptions & { readonly threads: number } = { threads };
      await pipeline(
        pieces(data, 64 * 1024),
        createDecompressStream(options),
        async (chunks: AsyncIterable<Buffer>) => {
          for await (const chunk of chunks) await drop(chunk);
        },
      );
      return output;
    }
    default:
      throw new Error(`unknown memory case ${name}`);
  }
}

async function main(): Promise<void> {
  const [name, file] = process.argv.slice(2);
  if (name === undefined || file === undefined) throw new Error('usage: memory-child CASE FILE');
  const data = readFileSync(file);
  // The decompression cases read bzip2 data, so they warm up on a small stream of their own.
  const warm = name.startsWith('decompress')
    ? compressSync(Buffer.from('warm up, '.repeat(1200)), LEVEL)
    : data.subarray(0, 10_000);
  await run(name, warm);
  await collect();
  // Without /proc (not Linux) the case still runs, and its peak is unknown.
  const reset = resetPeak();
  const baseline = reset ? status('VmRSS') : 0;
  const start = process.hrtime.bigint();
  const outputBytes = await run(name, data);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const report: ChildReport = {
    peakAboveBaseline: reset ? status('VmHWM') - baseline : undefined,
    baseline,
    outputBytes,
    seconds,
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
