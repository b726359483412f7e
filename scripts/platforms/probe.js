'use strict';
// What every platform's runtime runs in an app folder where the packed tarball was installed
// (the working folder): `<runtime> probe.js`. Once under the host's Node (the reference), then
// under each target's host: Node natively, the arm64 Node under qemu, the Windows Node under
// wine, Bun's musl builds (bun.js); compare.js compares each run with the reference, CPython's
// bytes and the contract.
// It records, and prints as one JSON line, what the package does there: the prebuild that
// node-gyp-build resolves and the .node files actually mapped into the process, the sha256 of
// every result of the round trips (sync, promise API on 2 threads, the two classes, sync and
// async), each error path as {class, name, code, message}, and, where the libc is musl, what
// loading the glibc prebuild directly gives. It asserts nothing itself.
// Plain CommonJS and the package's public API only (dist/index.d.ts).
const { createHash } = require('node:crypto');
const { readFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { dirname, join } = require('node:path');

/** ~1.9 MB: text, runs and pseudo-random bytes, so that level 9 makes three blocks. */
function input() {
  const parts = [];
  for (let i = 0; i < 20000; i++) parts.push(`record ${i}: the quick brown fox ${(i * 7) % 101}\n`);
  parts.push('a'.repeat(300000));
  let x = 2463534242;
  const noise = Buffer.alloc(900000);
  for (let i = 0; i < noise.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    // every other byte random, the rest from a small alphabet: compressible, but not much
    noise[i] = i & 1 ? x & 0xff : 97 + (x % 7);
  }
  return Buffer.concat([Buffer.from(parts.join('')), noise]);
}

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

function describe(error) {
  if (!error || typeof error !== 'object') return { threw: true, value: String(error) };
  return {
    threw: true,
    class: error.constructor && error.constructor.name,
    name: error.name,
    code: error.code,
    message: String(error.message),
  };
}

function caught(fn) {
  try {
    fn();
    return { threw: false };
  } catch (error) {
    return describe(error);
  }
}

async function rejected(fn) {
  try {
    await fn();
    return { threw: false };
  } catch (error) {
    return describe(error);
  }
}

/** The .node files mapped into this process (Linux; under qemu-user, the guest's view). */
function mappedAddons() {
  // Under wine, /proc/self/maps is the Linux host's file (Z: is /), which says nothing.
  if (process.platform !== 'linux') return [`(no /proc/self/maps on ${process.platform})`];
  try {
    const lines = readFileSync('/proc/self/maps', 'utf8').split('\n');
    return [...new Set(lines.map((l) => l.replace(/^\S+\s+\S+\s+\S+\s+\S+\s+\S+\s*/, '')))]
      .filter((f) => f.endsWith('.node'))
      .sort();
  } catch (error) {
    return [`(no /proc/self/maps: ${error.message})`];
  }
}

async function main() {
  const appRequire = createRequire(join(process.cwd(), 'app.js'));
  const pkgDir = dirname(appRequire.resolve('bz2-napi/package.json'));
  const out = {
    runtime: {
      bun: process.versions.bun || null,
      node: process.versions.node,
      releaseName: process.release && process.release.name,
      platform: process.platform,
      arch: process.arch,
      execPath: process.execPath,
      LIBC: process.env.LIBC || null,
    },
  };
  out.resolved = appRequire('node-gyp-build').resolve(pkgDir);
  const bz2 = appRequire('bz2-napi');
  out.mapped = mappedAddons();
  out.bzlibVersion = bz2.bzlibVersion;
  out.exports = Object.keys(bz2).sort();

  const data = input();
  out.input = { bytes: data.length, sha256: sha256(data) };

  // (a) round trips
  const started = Date.now();
  const packed = bz2.compressSync(data, 9);
  const r = {};
  r.compressSync9 = sha256(packed);
  r.compressSync9Bytes = packed.length;
  r.compressSync1 = sha256(bz2.compressSync(data, { level: 1 }));
  r.decompressSync = sha256(bz2.decompressSync(packed));
  r.compressPromise = sha256(await bz2.compress(data, { level: 9, threads: 2 }));
  r.decompressPromise = sha256(await bz2.decompress(packed, { threads: 2 }));
  r.concatenated = sha256(bz2.decompressSync(Buffer.concat([packed, packed])));
  {
    const c = new bz2.BZ2Compressor(9, { threads: 2 });
    const pieces = [];
    for (let i = 0; i < data.length; i += 300001)
      pieces.push(c.compress(data.subarray(i, i + 300001)));
    pieces.push(c.flush());
    r.compressorSync = sha256(Buffer.concat(pieces));
  }
  {
    const c = new bz2.BZ2Compressor(9);
    const pieces = [await c.compressAsync(data.subarray(0, 777777))];
    pieces.push(await c.compressAsync(data.subarray(777777)));
    pieces.push(await c.flushAsync());
    r.compressorAsync = sha256(Buffer.concat(pieces));
  }
  {
    const d = new bz2.BZ2Decompressor();
    const tail = Buffer.from('unused tail');
    const whole = Buffer.concat([packed, tail]);
    const pieces = [];
    for (let i = 0; i < whole.length; i += 65536)
      pieces.push(d.decompress(whole.subarray(i, i + 65536)));
    r.decompressorSync = sha256(Buffer.concat(pieces));
    r.decompressorEof = d.eof;
    r.decompressorUnusedData = d.unusedData.toString();
  }
  {
    const d = new bz2.BZ2Decompressor();
    const pieces = [await d.decompressAsync(packed.subarray(0, 100000))];
    pieces.push(await d.decompressAsync(packed.subarray(100000)));
    r.decompressorAsync = sha256(Buffer.concat(pieces));
    r.decompressorAsyncEof = d.eof;
  }
  {
    const d = new bz2.BZ2Decompressor();
    const first = d.decompress(packed, 1000);
    r.maxLength = { first: first.length, needsInput: d.needsInput };
  }
  r.emptyStream = bz2.compressSync(Buffer.alloc(0), 9).toString('hex');
  r.seconds = (Date.now() - started) / 1000;
  out.roundTrip = r;

  // (b) error paths
  const small = data.subarray(0, 50000);
  const smallPacked = bz2.compressSync(small, 9);
  const corrupt = Buffer.from(packed);
  corrupt[packed.length >> 1] ^= 0xff;
  const truncated = packed.subarray(0, packed.length - 100);
  const e = {};
  e.corruptSync = caught(() => bz2.decompressSync(corrupt));
  e.corruptPromise = await rejected(() => bz2.decompress(corrupt, { threads: 2 }));
  e.badMagic = caught(() => bz2.decompressSync(Buffer.from('this is not bzip2 data')));
  e.corruptDecompressor = caught(() => new bz2.BZ2Decompressor().decompress(corrupt));
  e.truncatedSync = caught(() => bz2.decompressSync(truncated));
  e.truncatedPromise = await rejected(() => bz2.decompress(truncated, { threads: 2 }));
  e.truncatedHeader = caught(() => bz2.decompressSync(Buffer.from('BZh9')));
  e.level10 = caught(() => bz2.compressSync(small, 10));
  e.level0 = caught(() => bz2.compressSync(small, 0));
  e.levelFraction = caught(() => bz2.compressSync(small, { level: 1.5 }));
  e.levelPromise = await rejected(() => bz2.compress(small, { level: 10 }));
  e.compressorLevel10 = caught(() => new bz2.BZ2Compressor(10));
  e.levelString = caught(() => bz2.compressSync(small, { level: '9' }));
  e.inputNumber = caught(() => bz2.compressSync(42));
  e.threads0 = caught(() => bz2.compressSync(small, { threads: 0 }));
  {
    const c = new bz2.BZ2Compressor();
    c.flush();
    e.afterFlush = caught(() => c.compress(small));
    e.flushTwice = caught(() => c.flush());
  }
  {
    const d = new bz2.BZ2Decompressor();
    d.decompress(smallPacked);
    e.afterEof = caught(() => d.decompress(smallPacked));
  }
  e.maxOutputLength = caught(() => bz2.decompressSync(packed, { maxOutputLength: 1000 }));
  {
    const c = new bz2.BZ2Compressor();
    const pending = c.compressAsync(small);
    e.busy = caught(() => c.compress(small));
    await pending;
  }
  {
    const controller = new AbortController();
    controller.abort();
    e.aborted = await rejected(() => bz2.compress(small, { signal: controller.signal }));
  }
  out.errors = e;

  // (c) where the libc is musl: the glibc build, loaded directly
  if (process.env.LIBC !== 'musl') {
    process.stdout.write(`${JSON.stringify(out)}\n`);
    return;
  }
  const glibc = join(pkgDir, 'prebuilds', `linux-${process.arch}`, 'bz2-napi.glibc.node');
  out.glibc = { file: glibc, dlopen: caught(() => process.dlopen({ exports: {} }, glibc)) };
  if (process.versions.bun) {
    // Bun's process.dlopen reads the file's DT_NEEDED itself before dlopen(3); bun:ffi's
    // dlopen does not: what musl's own loader makes of the glibc build.
    out.glibc.muslDlopen = caught(() => {
      const lib = require('bun:ffi').dlopen(glibc, {
        node_api_module_get_api_version_v1: { args: [], returns: 'i32' },
      });
      out.glibc.muslDlopenApiVersion = lib.symbols.node_api_module_get_api_version_v1();
      lib.close();
    });
  }
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

module.exports = { input };

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (error) => {
      process.stdout.write(
        `${JSON.stringify({ fatal: describe(error), stack: String(error && error.stack) })}\n`,
      );
      process.exit(1);
    },
  );
}
