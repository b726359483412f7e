/** Access to test/fixtures/golden (made by scripts/make-golden.ts with `bzip2 -N`). */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface GoldenOutput {
  readonly size: number;
  readonly sha256: string;
}

interface Manifest {
  readonly note: string;
  readonly cases: Record<string, Record<string, GoldenOutput>>;
}

const dir = join(__dirname, '..', 'fixtures', 'golden');
const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;

/** The recorded `bzip2 -level` output of case `name`. */
export function golden(name: string, level: number): GoldenOutput {
  const entry = manifest.cases[name]?.[String(level)];
  if (!entry) throw new Error(`no golden output for ${name} at level ${level}`);
  return entry;
}

/** The committed .bz2 file for case `name` at `level`, if it is small enough to be kept. */
export function goldenFile(name: string, level: number): Buffer | undefined {
  const path = join(dir, `${name}.l${level}.bz2`);
  return existsSync(path) ? readFileSync(path) : undefined;
}

export function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
