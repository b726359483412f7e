/**
 * CPython's bz2 module as a second reference (it links libbzip2 1.0.8 as well). One python3
 * process runs a whole batch, so the cost is one start-up per batch; it runs beside the tests
 * (asynchronously), so a batch started early costs little wall time on a machine with two cores.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The title of the pending test that stands for a Python suite when python3 is missing. */
export const NO_PYTHON = 'skipped: python3 with the bz2 module not found';

let found: boolean | undefined;
/** Whether python3 with the bz2 module runs here (asked once per process). */
export function havePython(): boolean {
  found ??= spawnSync('python3', ['-c', 'import bz2'], { stdio: 'ignore' }).status === 0;
  return found;
}

/** Runs `script` with python3, `input` on its stdin, and resolves to its stdout. */
export function runPython(script: string, input: string | Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', ['-c', script], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out).toString('utf8'));
      else reject(new Error(`python3 failed (${code}): ${Buffer.concat(err).toString()}`));
    });
    child.stdin.end(input);
  });
}

/** Writes `inputs` to files in a fresh directory, runs `script` on their paths, cleans up. */
async function onFiles(
  script: string,
  inputs: readonly Buffer[],
  extra: readonly unknown[],
): Promise<unknown[]> {
  const dir = mkdtempSync(join(tmpdir(), 'bz2-napi-py-'));
  try {
    const spec = inputs.map((input, i) => {
      const path = join(dir, `${i}.bin`);
      writeFileSync(path, input);
      return [path, extra[i] ?? null];
    });
    return JSON.parse(await runPython(script, JSON.stringify(spec))) as unknown[];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const COMPRESS = `
import bz2, hashlib, json, sys
out = []
for path, level in json.load(sys.stdin):
    with open(path, 'rb') as f:
        out.append(hashlib.sha256(bz2.compress(f.read(), level)).hexdigest())
json.dump(out, sys.stdout)
`;

/** sha256 (hex) of `bz2.compress(input, level)` for each job, in order. */
export async function pythonCompressDigests(
  jobs: readonly { input: Buffer; level: number }[],
): Promise<string[]> {
  return (await onFiles(
    COMPRESS,
    jobs.map((job) => job.input),
    jobs.map((job) => job.level),
  )) as string[];
}

const DECOMPRESS = `
import bz2, hashlib, json, sys
out = []
for path, _ in json.load(sys.stdin):
    with open(path, 'rb') as f:
        data = bz2.decompress(f.read())
    out.append({'length': len(data), 'sha256': hashlib.sha256(data).hexdigest()})
json.dump(out, sys.stdout)
`;

/** Length and sha256 (hex) of `bz2.decompress(stream)` for each stream, in order. */
export async function pythonDecompressDigests(
  streams: readonly Buffer[],
): Promise<{ length: number; sha256: string }[]> {
  return (await onFiles(DECOMPRESS, streams, [])) as { length: number; sha256: string }[];
}
