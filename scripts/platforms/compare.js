'use strict';
// probe.js's report from one platform against the reference (the same probe under the host's
// Node, in the same installed app), CPython's bytes and the contract (../shared/API.md): what
// every test host of test-platforms.js and bun.js must show.
const { execFileSync, spawnSync } = require('node:child_process');

const PROBE = require.resolve('./probe.js');

/** probe.js's one JSON line from a run, or an error that shows the run. */
function report(ran, what) {
  const line = (ran.stdout || '').trim().split('\n').pop() || '';
  let out;
  try {
    out = JSON.parse(line);
  } catch {
    throw new Error(
      `${what}: status ${ran.status} ${ran.signal || ''}, no report:\n${ran.stdout}\n${ran.stderr}`,
    );
  }
  if (out.fatal || ran.status !== 0) {
    throw new Error(
      `${what}: status ${ran.status}: ${JSON.stringify(out.fatal)}\n${out.stack || ''}\n${ran.stderr}`,
    );
  }
  return out;
}

const TRUNCATED = 'Compressed data ended before the end-of-stream marker was reached';
/** The error code each of probe.js's error cases must have (API.md), and exact messages. */
const CONTRACT = {
  corruptSync: ['ERR_BZ2_DATA', 'Invalid data stream'],
  corruptPromise: ['ERR_BZ2_DATA', 'Invalid data stream'],
  badMagic: ['ERR_BZ2_DATA', 'Invalid data stream'],
  corruptDecompressor: ['ERR_BZ2_DATA', 'Invalid data stream'],
  truncatedSync: ['ERR_BZ2_TRUNCATED', TRUNCATED],
  truncatedPromise: ['ERR_BZ2_TRUNCATED', TRUNCATED],
  truncatedHeader: ['ERR_BZ2_TRUNCATED', TRUNCATED],
  level10: ['ERR_OUT_OF_RANGE', /\blevel must be between 1 and 9\b/],
  level0: ['ERR_OUT_OF_RANGE', /\blevel must be between 1 and 9\b/],
  levelFraction: ['ERR_OUT_OF_RANGE', /\boptions[.]level must be between 1 and 9\b/],
  levelPromise: ['ERR_OUT_OF_RANGE', /\boptions[.]level must be between 1 and 9\b/],
  compressorLevel10: ['ERR_OUT_OF_RANGE', /compresslevel must be between 1 and 9/],
  threads0: ['ERR_OUT_OF_RANGE'],
  levelString: ['ERR_INVALID_ARG_TYPE'],
  inputNumber: ['ERR_INVALID_ARG_TYPE'],
  afterFlush: ['ERR_BZ2_FLUSHED', 'Compressor has been flushed'],
  flushTwice: ['ERR_BZ2_FLUSHED', 'Repeated call to flush()'],
  afterEof: ['ERR_BZ2_EOF', 'End of stream already reached'],
  maxOutputLength: ['ERR_BUFFER_TOO_LARGE'],
  busy: ['ERR_BZ2_BUSY'],
  aborted: ['ABORT_ERR'],
};

/** CPython's bz2.compress(probe input, level), by sha256 (python3 is on every machine here). */
function cpythonSha(level) {
  return execFileSync(
    'python3',
    [
      '-c',
      `import bz2,hashlib,sys; print(hashlib.sha256(bz2.compress(sys.stdin.buffer.read(), ${level})).hexdigest())`,
    ],
    { input: require(PROBE).input(), encoding: 'utf8' },
  ).trim();
}

/** probe.js under this Node in `app` (with LIBC unset): the reference, with CPython's hashes. */
function reference(app) {
  const env = { ...process.env };
  delete env.LIBC;
  const ran = spawnSync(process.execPath, [PROBE], {
    cwd: app,
    env,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  return {
    node: report(ran, 'probe.js under Node'),
    cpython: { 9: cpythonSha(9), 1: cpythonSha(1) },
  };
}

/**
 * The checks of `got` (a probe report from the target's host) against `ref` (reference()):
 * node-gyp-build chose, and the process mapped, `prebuild` (a path ending, with /) and no other
 * addon; the round trips give CPython's and the reference's bytes; every error path has the
 * contract's code and the reference's class, name, code and message. Returns [{name, ok, detail}].
 */
function compare(got, ref, prebuild) {
  const checks = [];
  const expect = (name, ok, detail = '') =>
    checks.push({ name, ok: Boolean(ok), detail: String(detail) });
  const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
  const node = ref.node;
  const slashes = (path) => String(path).replace(/\\/g, '/');

  expect(
    `node-gyp-build resolved ${prebuild}`,
    slashes(got.resolved).endsWith(`/${prebuild}`),
    got.resolved,
  );
  // /proc/self/maps where there is one (not on Windows): the prebuild, and no other addon.
  if (!String(got.mapped[0]).startsWith('(')) {
    expect(
      'the prebuild is the only .node mapped into the process',
      got.mapped.length === 1 && got.mapped[0] === got.resolved,
      got.mapped.join(', '),
    );
  }
  expect('bzlibVersion as on Node', got.bzlibVersion === node.bzlibVersion, got.bzlibVersion);
  expect('the same exports as on Node', same(got.exports, node.exports), got.exports.join(' '));
  const a = got.roundTrip;
  const h = node.roundTrip;
  const data = got.input.sha256;
  expect('the same input on both runtimes', data === node.input.sha256, `${got.input.bytes} bytes`);
  expect(
    "compressSync(data, 9): CPython's bytes",
    a.compressSync9 === ref.cpython[9] && h.compressSync9 === ref.cpython[9],
    `${a.compressSync9Bytes} bytes, sha256 ${a.compressSync9}`,
  );
  expect(
    "compressSync(data, { level: 1 }): CPython's bytes",
    a.compressSync1 === ref.cpython[1],
    a.compressSync1,
  );
  expect('decompressSync gives the data back', a.decompressSync === data);
  expect(
    'compress(data, { level: 9, threads: 2 }): the same bytes',
    a.compressPromise === ref.cpython[9],
  );
  expect('decompress(packed, { threads: 2 }) gives the data back', a.decompressPromise === data);
  expect('decompressSync of two concatenated streams', a.concatenated === h.concatenated);
  expect(
    'BZ2Compressor(9, { threads: 2 }) in 300 kB pieces: the same bytes',
    a.compressorSync === ref.cpython[9],
  );
  expect(
    'BZ2Compressor compressAsync/flushAsync: the same bytes',
    a.compressorAsync === ref.cpython[9],
  );
  expect(
    'BZ2Decompressor in 64 kB pieces: the data, eof, unusedData',
    a.decompressorSync === data &&
      a.decompressorEof === true &&
      a.decompressorUnusedData === 'unused tail',
  );
  expect(
    'BZ2Decompressor decompressAsync: the data, eof',
    a.decompressorAsync === data && a.decompressorAsyncEof === true,
  );
  expect(
    'BZ2Decompressor maxLength as on Node',
    same(a.maxLength, h.maxLength),
    JSON.stringify(a.maxLength),
  );
  expect('the empty stream as on Node (14 bytes)', a.emptyStream === h.emptyStream, a.emptyStream);
  for (const [name, [code, message]] of Object.entries(CONTRACT)) {
    const e = got.errors[name];
    const r = node.errors[name];
    const messageOk =
      message === undefined ||
      (message instanceof RegExp ? message.test(e.message) : e.message === message);
    expect(
      `error ${name}: ${code}, as on Node`,
      e && e.threw && e.code === code && messageOk && same(e, r),
      e && e.threw
        ? `${e.class} ${e.code}: ${e.message}${same(e, r) ? '' : ` | Node: ${JSON.stringify(r)}`}`
        : 'no error',
    );
  }
  return checks;
}

module.exports = { PROBE, report, reference, compare };
