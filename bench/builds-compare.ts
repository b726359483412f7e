/**
 * The zig-built linux-x64 prebuild (glibc 2.17, libc++ linked in; what the tarball ships)
 * against this machine's GCC build (build/Release, what `npm install` compiles from source):
 * the same library code, two copies of it loaded in one process, timed side by side on the
 * corpus dataset: compressSync at -9 and decompressSync, on 1 and 2 threads. Every output of
 * one build must equal the other's, or the benchmark fails.
 *
 * Alone: `node --import tsx bench/builds-compare.ts` (after `npm run prebuild:all` and the
 * native build); prints a Markdown table and writes bench/results/builds.md.
 * Environment: BUILDS_BENCH_ROUNDS (interleaved rounds, default 7), BENCH_BYTES (corpus size,
 * default 20000000).
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpuSnapshot, othersCores } from './contention';
import { corpusDataset } from './datasets';
import { describeMachine, machineLine } from './machine';
import { interleaved, median, wallTimer } from './timing';

type Library = typeof import('../lib/index');
interface Build {
  readonly name: string;
  readonly lib: Library;
  readonly file: string;
}

const root = join(__dirname, '..');
const ROUNDS = Number(process.env['BUILDS_BENCH_ROUNDS'] ?? 7);
const BYTES = Number(process.env['BENCH_BYTES'] ?? 20_000_000);

/** The package as a user installs it, prebuilds only: a second copy of dist/ that loads them. */
function prebuiltCopy(dir: string): void {
  for (const name of ['package.json', 'dist', 'prebuilds']) {
    cpSync(join(root, name), join(dir, name), { recursive: true });
  }
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
}

function load(name: string, dir: string): Build {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- two copies of the library
  const lib = require(join(dir, 'dist', 'index.js')) as Library;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const gypBuild = require('node-gyp-build') as { resolve: (dir: string) => string };
  return { name, lib, file: gypBuild.resolve(dir) };
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'bz2-napi-builds-'));
  try {
    prebuiltCopy(work);
    const builds = [load('GCC 12 (build/Release)', root), load('zig 0.11 (prebuild)', work)];
    if (
      !builds[0]?.file.includes('build/Release') ||
      !builds[1]?.file.includes('prebuilds/linux-x64')
    ) {
      throw new Error(`wrong files loaded: ${builds.map((b) => b.file).join(', ')}`);
    }
    const { data, origin } = corpusDataset(BYTES);
    const packed = builds[0].lib.compressSync(data, 9);
    const operations = [
      {
        name: 'compressSync -9, 1 thread',
        run: (l: Library) => l.compressSync(data, { level: 9, threads: 1 }),
      },
      {
        name: 'compressSync -9, 2 threads',
        run: (l: Library) => l.compressSync(data, { level: 9, threads: 2 }),
      },
      {
        name: 'decompressSync, 1 thread',
        run: (l: Library) => l.decompressSync(packed, { threads: 1 }),
      },
      {
        name: 'decompressSync, 2 threads',
        run: (l: Library) => l.decompressSync(packed, { threads: 2 }),
      },
    ];
    for (const op of operations) {
      const [a, b] = builds.map((build) => op.run(build.lib));
      if (!a || !b || !a.equals(b)) throw new Error(`${op.name}: the builds' outputs differ`);
    }
    const before = cpuSnapshot();
    const rows: string[] = [];
    for (const op of operations) {
      const [gcc = [], zig = []] = await interleaved(
        builds.map((build) => wallTimer(() => op.run(build.lib))),
        ROUNDS,
      );
      const ratio = median(zig) / median(gcc);
      const range = (s: number[]): string =>
        `${median(s).toFixed(3)} (${Math.min(...s).toFixed(3)}–${Math.max(...s).toFixed(3)})`;
      rows.push(`| ${op.name} | ${range(gcc)} | ${range(zig)} | ${ratio.toFixed(3)} |`);
    }
    const others = othersCores(before, cpuSnapshot());
    const machine = describeMachine([]);
    const text = [
      `### The zig prebuild against the GCC build (${machineLine(machine)})`,
      '',
      `${origin}; ${ROUNDS} interleaved rounds, median seconds (min–max); ratio = zig / GCC ` +
        `(below 1: the zig build is faster). Both builds' outputs are identical.` +
        (others === undefined
          ? ''
          : ` Other load on the machine meanwhile: ${others.toFixed(2)} cores.`),
      '',
      '| operation | GCC 12, s | zig 0.11, s | zig / GCC |',
      '|---|--:|--:|--:|',
      ...rows,
      '',
      `Files: ${builds.map((b) => `${b.name}: \`${b.file.replace(root, '.').replace(work, '<tarball>')}\``).join('; ')}.`,
      '',
    ].join('\n');
    process.stdout.write(text);
    mkdirSync(join(root, 'bench', 'results'), { recursive: true });
    writeFileSync(join(root, 'bench', 'results', 'builds.md'), text);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

void main();
