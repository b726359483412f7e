/**
 * Untrusted input: every single-bit corruption of small streams, and decompression bombs. Each
 * case must end in correct output or a coded error: never a crash, a hang or unbounded memory.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { BZ2Decompressor, compressSync, decompressSync } from '../lib/index';
import { text } from './helpers/inputs';
import { flipBit } from './helpers/corrupt';
import { runNode } from './helpers/node-process';

const CODES = new Set(['ERR_BZ2_DATA', 'ERR_BZ2_TRUNCATED']);

function outcome(run: () => Buffer, expected: Buffer): 'same' | 'error' {
  try {
    const output = run();
    assert.ok(output.equals(expected), 'a corrupted stream decoded to different bytes');
    return 'same';
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && CODES.has(code)) return 'error';
    throw error;
  }
}

describe('bit-flip sweeps', () => {
  const inputs = [
    {
      name: 'a short text at level 9',
      data: Buffer.from('hello, hostile world! '.repeat(4)),
      level: 9,
    },
    { name: '2 kB of text at level 1', data: text(2000, 8), level: 1 },
    {
      name: 'runs at level 1',
      data: Buffer.concat([Buffer.alloc(300, 1), Buffer.alloc(5, 2), Buffer.alloc(256, 3)]),
      level: 1,
    },
  ];
  for (const { name, data, level } of inputs) {
    it(`every bit of ${name}: decompressSync and BZ2Decompressor give the input or a coded error`, () => {
      const stream = compressSync(data, level);
      let errors = 0;
      for (let bit = 0; bit < stream.length * 8; bit++) {
        const corrupt = flipBit(stream, bit);
        const oneShot = outcome(() => decompressSync(corrupt), data);
        const streaming = outcome(() => {
          const decompressor = new BZ2Decompressor();
          const out = Buffer.concat([
            decompressor.decompress(corrupt.subarray(0, 7)),
            decompressor.decompress(corrupt.subarray(7)),
          ]);
          if (!decompressor.eof)
            throw Object.assign(new Error('truncated'), { code: 'ERR_BZ2_TRUNCATED' });
          return out;
        }, data);
        assert.equal(streaming, oneShot, `bit ${bit}`);
        if (oneShot === 'error') errors++;
      }
      // Almost every flip must be caught (a few land in the level digit or the padding).
      assert.ok(errors > stream.length * 8 * 0.9, `${errors} of ${stream.length * 8} flips caught`);
    });
  }
});

describe('decompression bombs', () => {
  // One level-9 block holds up to 45 MB of zeros (runs of 255 shrink to 5 bytes before the
  // block sort), so one stream of ~50 bytes expands a thousandfold-million; 60 copies of it make
  // a few kilobytes that expand to 2.7 GB.
  const block = compressSync(Buffer.alloc(45_000_000), 9);
  const bomb = Buffer.concat(Array.from({ length: 60 }, () => block));

  it(`is small: ${block.length} bytes a stream`, () => {
    assert.ok(bomb.length < 20000, `${bomb.length}`);
  });

  it('decompressSync stops at maxOutputLength with ERR_BUFFER_TOO_LARGE and bounded memory', () => {
    // In a child process, so that its peak RSS is its own.
    const script = `
      require('tsx/cjs');
      const { compressSync, decompressSync } = require(${JSON.stringify(join(__dirname, '..', 'lib', 'index.ts'))});
      const block = compressSync(Buffer.alloc(45000000), 9);
      const bomb = Buffer.concat(Array.from({ length: 60 }, () => block));
      global.gc();
      const base = process.resourceUsage().maxRSS * 1024;
      let code;
      try { decompressSync(bomb, { maxOutputLength: 100 * 1024 * 1024 }); } catch (e) { code = e.code; }
      const grew = process.resourceUsage().maxRSS * 1024 - base;
      process.stdout.write(JSON.stringify({ code, grew }));
    `;
    const run = runNode(script, { exposeGc: true });
    assert.equal(run.status, 0, run.stderr);
    const { code, grew } = JSON.parse(run.stdout) as { code: string; grew: number };
    assert.equal(code, 'ERR_BUFFER_TOO_LARGE');
    // The output may reach the 100 MiB limit, and the 45 MB zero buffer that made the bomb was
    // touched before `base`; nothing near the 2.7 GB the bomb holds.
    assert.ok(grew < 300 * 1024 * 1024, `peak RSS grew by ${grew} bytes`);
  });

  it('BZ2Decompressor with maxLength walks through it in bounded steps', () => {
    const decompressor = new BZ2Decompressor();
    let total = 0;
    let calls = 0;
    decompressor.decompress(bomb.subarray(0, block.length), 0);
    while (!decompressor.eof && calls < 200) {
      const chunk = decompressor.decompress(Buffer.alloc(0), 1 << 20);
      assert.ok(chunk.length <= 1 << 20);
      assert.ok(chunk.every((byte) => byte === 0) || chunk.length === 0);
      total += chunk.length;
      calls++;
    }
    assert.equal(decompressor.eof, true);
    assert.equal(total, 45_000_000);
    assert.equal(decompressor.unusedData.length, 0);
  });
});
