/** API.md section 5: createCompressStream / createDecompressStream. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  compressSync,
  createCompressStream,
  createDecompressStream,
  decompressSync,
} from '../lib/index';
import { golden, sha256 } from './helpers/golden';
import { caseInput } from './helpers/cases';
import { text } from './helpers/inputs';
import { runNode } from './helpers/node-process';
import { collect } from './helpers/streams';

const TEXT = text(2_000_000, 41);

function chunks(data: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < data.length; i += size) out.push(data.subarray(i, i + size));
  return out;
}

async function failsWith(
  source: Iterable<Buffer>,
  transform: NodeJS.ReadWriteStream,
  code: string,
): Promise<void> {
  let ended = false;
  transform.on('end', () => (ended = true));
  await assert.rejects(collect(source, transform), (error: unknown) => {
    assert.equal((error as { code?: unknown }).code, code);
    return true;
  });
  await sleep(10);
  assert.equal(ended, false, "'end' after 'error'");
}

describe('createCompressStream', () => {
  for (const size of [1, 4096, 1 << 20]) {
    it(`gives compressSync's bytes with ${size}-byte chunks, and round-trips`, async () => {
      const data = size === 1 ? TEXT.subarray(0, 20000) : TEXT;
      const output = await collect(chunks(data, size), createCompressStream({ level: 3 }));
      assert.deepEqual(output, compressSync(data, 3));
      assert.deepEqual(
        await collect(chunks(output, size === 1 ? 7 : size), createDecompressStream()),
        data,
      );
    });
  }

  it('equals bzip2 -9 on a golden input', async () => {
    const data = caseInput('runs-1200000');
    const output = await collect(chunks(data, 65536), createCompressStream());
    assert.equal(sha256(output), golden('runs-1200000', 9).sha256);
  });

  it('writes the empty stream for no input', async () => {
    assert.equal((await collect([], createCompressStream({ level: 1 }))).length, 14);
  });

  it('rejects bad options at creation', () => {
    assert.throws(() => createCompressStream({ level: 0 }), { code: 'ERR_OUT_OF_RANGE' });
    assert.throws(() => createCompressStream('9' as never), { code: 'ERR_INVALID_ARG_TYPE' });
  });

  it('is destroyed with an AbortError when its signal aborts', async () => {
    const controller = new AbortController();
    const stream = createCompressStream({ signal: controller.signal });
    const done = collect(chunks(TEXT, 65536), stream);
    setTimeout(() => controller.abort(), 20);
    await assert.rejects(done, { name: 'AbortError', code: 'ABORT_ERR' });
  });
});

describe('createDecompressStream', () => {
  const STREAM = compressSync(TEXT, 1);

  it('reads concatenated streams and ignores trailing junk after a complete one', async () => {
    const input = Buffer.concat([
      STREAM,
      compressSync('', 2),
      compressSync('end', 9),
      Buffer.from('\n\n'),
    ]);
    assert.deepEqual(
      await collect(chunks(input, 5000), createDecompressStream()),
      decompressSync(input),
    );
  });

  it("ends with an 'error' ERR_BZ2_DATA (and no 'end') on invalid data", async () => {
    await failsWith(
      [Buffer.from('definitely not bzip2 data')],
      createDecompressStream(),
      'ERR_BZ2_DATA',
    );
    const corrupt = Buffer.from(STREAM);
    corrupt.writeUInt8(corrupt.readUInt8(5000) ^ 0x40, 5000);
    await failsWith(chunks(corrupt, 4096), createDecompressStream(), 'ERR_BZ2_DATA');
  });

  it("ends with an 'error' ERR_BZ2_TRUNCATED on input that stops inside a stream", async () => {
    await failsWith(
      chunks(STREAM.subarray(0, STREAM.length - 1), 4096),
      createDecompressStream(),
      'ERR_BZ2_TRUNCATED',
    );
    await failsWith(
      [Buffer.concat([STREAM, Buffer.from('BZh9')])],
      createDecompressStream(),
      'ERR_BZ2_TRUNCATED',
    );
  });

  it('honours maxOutputLength over the whole stream', async () => {
    await failsWith(
      chunks(STREAM, 4096),
      createDecompressStream({ maxOutputLength: 1000 }),
      'ERR_BUFFER_TOO_LARGE',
    );
    assert.deepEqual(
      await collect(chunks(STREAM, 4096), createDecompressStream({ maxOutputLength: TEXT.length })),
      TEXT,
    );
  });

  it('applies backpressure: a slow reader of a bomb holds memory bounded', () => {
    // 120 MB of zeros from a few hundred bytes, read slowly, in a child so its peak RSS is its own.
    const script = `
      require('tsx/cjs');
      const { Writable } = require('node:stream');
      const { pipeline } = require('node:stream/promises');
      const { compressSync, createDecompressStream } = require(${JSON.stringify(join(__dirname, '..', 'lib', 'index.ts'))});
      const bomb = Buffer.concat(Array.from({ length: 3 }, () => compressSync(Buffer.alloc(40_000_000), 9)));
      global.gc();
      const base = process.resourceUsage().maxRSS * 1024;
      let total = 0, writes = 0;
      const slow = new Writable({ highWaterMark: 1 << 16, write(chunk, _e, cb) { total += chunk.length; if (++writes % 32 === 0) setTimeout(cb, 1); else cb(); } });
      pipeline([bomb], createDecompressStream(), slow).then(() => {
        process.stdout.write(JSON.stringify({ total, grew: process.resourceUsage().maxRSS * 1024 - base }));
      });
    `;
    const run = runNode(script, { exposeGc: true });
    assert.equal(run.status, 0, run.stderr);
    const { total, grew } = JSON.parse(run.stdout) as { total: number; grew: number };
    assert.equal(total, 120_000_000);
    assert.ok(grew < 64 * 1024 * 1024, `peak RSS grew by ${grew} bytes for 120 MB of output`);
  });

  it('is destroyed with an AbortError when its signal aborts', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(collect([STREAM], createDecompressStream({ signal: controller.signal })), {
      name: 'AbortError',
    });
  });
});
