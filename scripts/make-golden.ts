/**
 * Regenerates test/fixtures/golden from the inputs in test/helpers/inputs.ts with the system
 * `bzip2` program (libbzip2 1.0.8): `bzip2 -N -c` of each input at each of its levels.
 * manifest.json records the size and sha256 of every output; outputs up to 1 KiB are also kept
 * as `<name>.l<N>.bz2` so that the smallest cases can be read and diffed directly.
 *
 * Run: npx tsx scripts/make-golden.ts
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GOLDEN_CASES } from '../test/helpers/inputs';

const dir = join(__dirname, '..', 'test', 'fixtures', 'golden');
const KEEP_FILE_BELOW = 1024;

const version = spawnSync('bzip2', ['--version'], { encoding: 'utf8' });
const banner = `${version.stderr}`.split('\n')[0] ?? '';
if (!banner.includes('1.0.8')) throw new Error(`need bzip2 1.0.8, found: ${banner}`);

mkdirSync(dir, { recursive: true });
for (const file of readdirSync(dir)) rmSync(join(dir, file));

const manifest: Record<string, Record<string, { size: number; sha256: string }>> = {};
for (const testCase of GOLDEN_CASES) {
  const input = testCase.make();
  const entry: Record<string, { size: number; sha256: string }> = {};
  for (const level of testCase.levels) {
    const run = spawnSync('bzip2', [`-${level}`, '-c'], { input, maxBuffer: 1 << 30 });
    if (run.status !== 0) throw new Error(`bzip2 -${level} failed on ${testCase.name}`);
    const output = run.stdout;
    entry[String(level)] = {
      size: output.length,
      sha256: createHash('sha256').update(output).digest('hex'),
    };
    if (output.length <= KEEP_FILE_BELOW) {
      writeFileSync(join(dir, `${testCase.name}.l${level}.bz2`), output);
    }
  }
  manifest[testCase.name] = entry;
}
const note = `made by scripts/make-golden.ts with ${banner.trim()}`;
writeFileSync(
  join(dir, 'manifest.json'),
  `${JSON.stringify({ note, cases: manifest }, null, 2)}\n`,
);
console.log(`${Object.keys(manifest).length} cases written to ${dir}`);
