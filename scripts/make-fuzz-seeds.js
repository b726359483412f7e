'use strict';
// Writes seed corpora for the libFuzzer targets in test/fuzz/ into OUT/<target>/:
//   node scripts/make-fuzz-seeds.js OUT
// Every seed is an 8-byte header (see test/fuzz/fuzz_util.h) and a payload. decompress gets the golden
// .bz2 files (read-only) whole, truncated and back to back; compress and parallel get generated inputs
// that hit bzip2's run-length edges. Names are content hashes, so rerunning adds nothing twice.
const { createHash } = require('node:crypto');
const { mkdirSync, readdirSync, readFileSync, writeFileSync } = require('node:fs');
const path = require('node:path');

const out = process.argv[2];
if (!out) {
  console.error('usage: node scripts/make-fuzz-seeds.js OUT');
  process.exit(2);
}
const golden = path.join(__dirname, '..', 'test', 'fixtures', 'golden');

function header(byte0, seed) {
  const h = Buffer.alloc(8);
  h[0] = byte0;
  h.writeUIntBE(seed, 1, 6);
  h[7] = seed & 0xff;
  return h;
}

const counts = {};
function put(target, byte0, seed, payload) {
  const dir = path.join(out, target);
  mkdirSync(dir, { recursive: true });
  const bytes = Buffer.concat([header(byte0, seed), payload]);
  const name = createHash('sha1').update(bytes).digest('hex');
  writeFileSync(path.join(dir, name), bytes);
  counts[target] = (counts[target] || 0) + 1;
}

// decompress: bit 0 of byte 0 is concatenated mode.
const files = readdirSync(golden)
  .filter((f) => f.endsWith('.bz2'))
  .sort();
const streams = files.map((f) => readFileSync(path.join(golden, f)));
streams.forEach((s, i) => {
  put('decompress', 0, i + 1, s);
  put('decompress', 1, i + 7, s);
  put('decompress', i & 1, i + 13, s.subarray(0, s.length >> 1)); // ends inside the stream
  put('decompress', 0, i + 19, Buffer.concat([s, Buffer.from('trailing')]));
  const next = streams[(i + 1) % streams.length];
  put('decompress', 1, i + 23, Buffer.concat([s, next]));
  put('decompress', 1, i + 29, Buffer.concat([s, next.subarray(0, 6)])); // a second stream cut short
});
put('decompress', 0, 1, Buffer.alloc(0));

// compress and parallel: inputs around bzip2's run lengths (4-255 repeats), text and noise.
const inputs = [Buffer.alloc(0), Buffer.from('a')];
for (const n of [2, 3, 4, 5, 6, 250, 251, 252, 253, 254, 255, 256, 257, 258, 259, 260, 600]) {
  inputs.push(Buffer.alloc(n, 0x61));
}
inputs.push(Buffer.from('the quick brown fox jumps over the lazy dog\n'.repeat(40)));
inputs.push(Buffer.from(Array.from({ length: 256 }, (_, i) => i)));
let x = 12345;
inputs.push(
  Buffer.from(
    Array.from({ length: 3000 }, () => {
      x = (x * 1103515245 + 12345) >>> 0;
      return x >>> 24;
    }),
  ),
);
inputs.forEach((input, i) => {
  const level = 1 + (i % 9);
  put('compress', level - 1, i + 1, input);
  put('compress', 0x80 | (level - 1), i + 31, input); // with an output limit
  const threads = 1 + (i % 4);
  put('parallel', (threads - 1) | ((level - 1) << 4), i + 1, input);
  put('parallel', (threads - 1) | 8, i + 61, input); // tiled past block ends
  put('cutter', 8 | ((level - 1) << 4), i + 1, input); // tiled past block ends
  for (let shape = 0; shape < 8; shape++)
    put('codec', shape | ((level - 1) << 4), i * 8 + shape + 1, input);
  put('cutter', 8, i + 31, Buffer.concat([input, Buffer.from([0x62, 0xff, 250, 0x63, 0xff, 3])])); // runs by 0xFF n
});

// pdecode: byte 0 bits 0-1 threads, 2-3 input (0: as given, else a stream built from it), 4-5
// limit (3: small), bit 6 the input ends with its last chunk, bit 7 chunking style.
inputs.forEach((input, i) => {
  put('pdecode', (i & 3) | 0x04 | ((i & 1) << 6) | ((i & 2) << 6), i + 1, input); // built
  put('pdecode', (i & 3) | 0x3c, i + 91, input); // built, a small limit
});
streams.forEach((s, i) => {
  put('pdecode', (i & 3) | 0x40, i + 101, s); // the golden streams as given
});

console.log(
  `fuzz seeds: ${Object.entries(counts)
    .map(([t, n]) => `${t} ${n}`)
    .join(', ')} in ${out}`,
);
