'use strict';
// The round trip and the error paths on one platform, run by that platform's runtime (Node on
// x64, arm64 under qemu and Windows under wine; Bun on musl) in an app folder where the packed
// tarball was installed: `<runtime> smoke.js <sha256 of CPython's bz2.compress(input, 9)>`.
// Prints one JSON line (what loaded, each check) and exits 1 if a check failed. Plain
// CommonJS and only the package's public API, so that every runtime runs the same file.
// `require('./smoke.js').input()` gives the input, for the host to compute the expectation.
const { createHash } = require('node:crypto');
const { createRequire } = require('node:module');
const { dirname, join } = require('node:path');
const { Readable, Writable } = require('node:stream');
const { pipeline } = require('node:stream/promises');

/** 600 kB: text, runs and pseudo-random bytes, so that level 1 makes several blocks. */
function input() {
  const parts = [];
  for (let i = 0; i < 6000; i++) parts.push(`line ${i}: the quick brown fox ${i % 97}\n`);
  parts.push('z'.repeat(100000));
  let x = 12345;
  const noise = Buffer.alloc(200000);
  for (let i = 0; i < noise.length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    noise[i] = x >>> 24;
  }
  return Buffer.concat([Buffer.from(parts.join('')), noise]);
}

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

async function main(expected) {
  // The package as the app in the working folder sees it, not as this file's folder would.
  const appRequire = createRequire(join(process.cwd(), 'app.js'));
  const bz2 = appRequire('bz2-napi');
  const loaded = appRequire('node-gyp-build').resolve(
    dirname(appRequire.resolve('bz2-napi/package.json')),
  );
  const data = input();
  const checks = [];
  const check = async (name, fn) => {
    try {
      await fn();
      checks.push({ name, ok: true });
    } catch (error) {
      checks.push({ name, ok: false, error: String(error && error.stack ? error.stack : error) });
    }
  };
  const equal = (actual, wanted, what) => {
    if (actual !== wanted) throw new Error(`${what}: ${actual} !== ${wanted}`);
  };
  const code = (fn, wanted) => {
    try {
      fn();
    } catch (error) {
      return equal(error.code, wanted, 'error code');
    }
    throw new Error(`no error, expected ${wanted}`);
  };
  const rejects = async (promise, wanted) => {
    try {
      await promise;
    } catch (error) {
      return equal(error.code, wanted, 'rejection code');
    }
    throw new Error(`no rejection, expected ${wanted}`);
  };

  const packed = bz2.compressSync(data, 9);
  await check('compressSync -9 is CPython bz2.compress(data, 9)', () =>
    equal(sha256(packed), expected, 'sha256'),
  );
  await check('decompressSync gives the input back', () =>
    equal(sha256(bz2.decompressSync(packed)), sha256(data), 'sha256'),
  );
  await check('compress on 2 threads (off the main thread): the same bytes', async () =>
    equal(sha256(await bz2.compress(data, { level: 9, threads: 2 })), expected, 'sha256'),
  );
  await check('decompress on 2 threads: the input', async () =>
    equal(sha256(await bz2.decompress(packed, { threads: 2 })), sha256(data), 'sha256'),
  );
  await check('BZ2Compressor and BZ2Decompressor in pieces', () => {
    const c = new bz2.BZ2Compressor(9, { threads: 2 });
    const out = Buffer.concat([
      c.compress(data.subarray(0, 1000)),
      c.compress(data.subarray(1000)),
      c.flush(),
    ]);
    equal(sha256(out), expected, 'sha256');
    const d = new bz2.BZ2Decompressor();
    const back = Buffer.concat([
      d.decompress(out.subarray(0, 5000)),
      d.decompress(out.subarray(5000)),
    ]);
    equal(sha256(back), sha256(data), 'sha256');
    equal(d.eof, true, 'eof');
  });
  await check('streams: compress into decompress through pipeline', async () => {
    const got = [];
    await pipeline(
      Readable.from([data.subarray(0, 300000), data.subarray(300000)]),
      bz2.createCompressStream({ level: 1, threads: 2 }),
      bz2.createDecompressStream(),
      new Writable({
        write(chunk, _encoding, done) {
          got.push(chunk);
          done();
        },
      }),
    );
    equal(sha256(Buffer.concat(got)), sha256(data), 'sha256');
  });
  const corrupt = Buffer.from(packed);
  corrupt[packed.length >> 1] ^= 0xff;
  const truncated = packed.subarray(0, packed.length - 100);
  await check('corrupt data: ERR_BZ2_DATA (sync, async, 2 threads)', async () => {
    code(() => bz2.decompressSync(corrupt), 'ERR_BZ2_DATA');
    await rejects(bz2.decompress(corrupt, { threads: 2 }), 'ERR_BZ2_DATA');
  });
  await check('truncated data: ERR_BZ2_TRUNCATED (sync, async)', async () => {
    code(() => bz2.decompressSync(truncated), 'ERR_BZ2_TRUNCATED');
    await rejects(bz2.decompress(truncated, { threads: 2 }), 'ERR_BZ2_TRUNCATED');
  });
  await check('level 10: ERR_OUT_OF_RANGE; a string: ERR_INVALID_ARG_TYPE', () => {
    code(() => bz2.compressSync(data, 10), 'ERR_OUT_OF_RANGE');
    code(() => bz2.compressSync(data, { level: '9' }), 'ERR_INVALID_ARG_TYPE');
  });
  await check('maxOutputLength: ERR_BUFFER_TOO_LARGE', () =>
    code(() => bz2.decompressSync(packed, { maxOutputLength: 1000 }), 'ERR_BUFFER_TOO_LARGE'),
  );
  const ok = checks.every((c) => c.ok);
  process.stdout.write(
    `${JSON.stringify({ ok, loaded, runtime: process.release.name, arch: process.arch, checks })}\n`,
  );
  return ok;
}

module.exports = { input };

if (require.main === module) {
  main(process.argv[2]).then(
    (ok) => process.exit(ok ? 0 : 1),
    (error) => {
      process.stdout.write(
        `${JSON.stringify({ ok: false, error: String(error && error.stack) })}\n`,
      );
      process.exit(1);
    },
  );
}
