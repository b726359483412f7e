/**
 * CPython's bz2 module as a second reference (it links libbzip2 1.0.8 as well). One python3
 * process compresses a whole batch, so the cost is one start-up per suite.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SCRIPT = `
import bz2, hashlib, json, sys
jobs = json.load(sys.stdin)
out = []
for path, level in jobs:
    with open(path, 'rb') as f:
        data = f.read()
    out.append(hashlib.sha256(bz2.compress(data, level)).hexdigest())
json.dump({'version': bz2.__name__, 'digests': out}, sys.stdout)
`;

/** Whether python3 with the bz2 module runs here. */
export function havePython(): boolean {
  const run = spawnSync('python3', ['-c', 'import bz2'], { stdio: 'ignore' });
  return run.status === 0;
}

/** sha256 (hex) of `bz2.compress(input, level)` for each job, in order. */
export function pythonCompressDigests(jobs: readonly { input: Buffer; level: number }[]): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'bz2-napi-py-'));
  try {
    const spec = jobs.map((job, i) => {
      const path = join(dir, `${i}.bin`);
      writeFileSync(path, job.input);
      return [path, job.level];
    });
    const run = spawnSync('python3', ['-c', SCRIPT], {
      input: JSON.stringify(spec),
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    });
    if (run.status !== 0) throw new Error(`python3 failed: ${run.stderr}`);
    return (JSON.parse(run.stdout) as { digests: string[] }).digests;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
