/**
 * Regenerates test/fixtures/parallel/manifest.json from the inputs in test/helpers/boundaries.ts
 * with the system `bzip2` program (libbzip2 1.0.8): `bzip2 -N -c` of each input at each of its
 * levels. The outputs are several MB each, so only their size and sha256 are kept, with the size
 * and sha256 of the input (a changed generator is then reported as such, not as a mismatch).
 *
 * Before writing anything it checks the block-cutting model against the CLI's output: the CRC in
 * each block header and the stream CRC in the trailer must be those of the model's blocks.
 *
 * Run: npx tsx scripts/make-parallel-golden.ts
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  cutBlocks,
  cutKind,
  cutSituations,
  modelCrcs,
  PARALLEL_CASES,
  streamCrcs,
} from '../test/helpers/boundaries';

const dir = join(__dirname, '..', 'test', 'fixtures', 'parallel');

const version = spawnSync('bzip2', ['--version'], { encoding: 'utf8' });
const banner = `${version.stderr}`.split('\n')[0] ?? '';
if (!banner.includes('1.0.8')) throw new Error(`need bzip2 1.0.8, found: ${banner}`);

function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

interface Output {
  size: number;
  sha256: string;
  blocks: number;
}
const cases: Record<string, { input: { size: number; sha256: string }; levels: object }> = {};
let totalInput = 0;
for (const testCase of PARALLEL_CASES) {
  const input = testCase.make();
  const levels: Record<string, Output> = {};
  for (const level of testCase.levels) {
    const run = spawnSync('bzip2', [`-${level}`, '-c'], { input, maxBuffer: 1 << 30 });
    if (run.status !== 0) throw new Error(`bzip2 -${level} failed on ${testCase.name}`);
    const output = run.stdout;
    const found = streamCrcs(output);
    const model = modelCrcs(input, level);
    if (JSON.stringify(found) !== JSON.stringify(model)) {
      throw new Error(`${testCase.name} l${level}: the model's blocks are not bzip2's`);
    }
    const blocks = cutBlocks(input, level).length;
    levels[String(level)] = { size: output.length, sha256: sha256(output), blocks };
    totalInput += input.length;
    const kinds = new Map<string, number>();
    for (const cut of cutSituations(input, level)) {
      const kind = cutKind(cut);
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    }
    const summary = [...kinds].map(([kind, n]) => (n > 1 ? `${kind} ×${n}` : kind)).join(', ');
    console.log(`${testCase.name} l${level}: ${input.length} B, ${blocks} blocks; ${summary}`);
  }
  cases[testCase.name] = { input: { size: input.length, sha256: sha256(input) }, levels };
}

const note =
  `made by scripts/make-parallel-golden.ts with ${banner.trim()} (bzip2 -N -c of each input); ` +
  'inputs from test/helpers/boundaries.ts; block CRCs checked against the cutting model';
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, 'manifest.json'), `${JSON.stringify({ note, cases }, null, 2)}\n`);
console.log(`${Object.keys(cases).length} inputs (${totalInput} bytes in all) written to ${dir}`);
