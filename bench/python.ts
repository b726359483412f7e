/** CPython's bz2 timed in its own process, on the same files, the same way as ours. */
import { spawnSync } from 'node:child_process';

const SCRIPT = `
import bz2, json, sys, time
spec = json.load(sys.stdin)
def best(fn, budget):
    # Repeat for at least \`budget\` seconds; report the fastest run (least disturbed).
    runs, start, best_t = 0, time.perf_counter(), float('inf')
    while runs < 3 or time.perf_counter() - start < budget:
        t0 = time.perf_counter(); fn(); best_t = min(best_t, time.perf_counter() - t0); runs += 1
    return best_t
out = []
for path in spec['files']:
    data = open(path, 'rb').read()
    packed = bz2.compress(data, spec['level'])
    out.append({'compress': best(lambda: bz2.compress(data, spec['level']), spec['budget']),
                'decompress': best(lambda: bz2.decompress(packed), spec['budget'])})
json.dump({'version': sys.version.split()[0], 'results': out}, sys.stdout)
`;

export interface PythonTimes {
  readonly version: string;
  readonly results: readonly { compress: number; decompress: number }[];
}

/** Best-of times (seconds) of bz2.compress(data, level) and bz2.decompress for each file. */
export function timePython(files: readonly string[], level: number, budget: number): PythonTimes {
  const run = spawnSync('python3', ['-c', SCRIPT], {
    input: JSON.stringify({ files, level, budget }),
    encoding: 'utf8',
    maxBuffer: 16 << 20,
  });
  if (run.status !== 0) throw new Error(`python3 failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as PythonTimes;
}
