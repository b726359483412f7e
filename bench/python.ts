/**
 * CPython's bz2 timed in its own process with the rule of bench/timing.ts, on the same bytes
 * (handed over as files, since it is another process; the timing covers only the in-memory
 * `bz2.compress` / `bz2.decompress` calls).
 */
import { spawnSync } from 'node:child_process';
import type { Budget } from './timing';

const SCRIPT = `
import bz2, json, sys, time

def version_of_libbz2():
    # _bz2 links the system libbz2; its symbols are reachable through the extension's handle.
    try:
        import ctypes, _bz2
        lib = ctypes.CDLL(_bz2.__file__)
        lib.BZ2_bzlibVersion.restype = ctypes.c_char_p
        return lib.BZ2_bzlibVersion().decode()
    except Exception:
        return 'unknown'

def once(fn):
    t0 = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - t0

def fastest(fn, budget, first):
    # Same rule as bench/timing.ts: at least minRuns runs and \`seconds\` of runs; keep the best.
    best, runs, spent = first, 1, first
    while runs < budget['minRuns'] or spent < budget['seconds']:
        _, t = once(fn)
        best, runs, spent = min(best, t), runs + 1, spent + t
    return {'seconds': best, 'runs': runs}

spec = json.load(sys.stdin)
level, budget = spec['level'], spec['budget']
out = []
for job in spec['jobs']:
    with open(job['input'], 'rb') as f:
        data = f.read()
    packed, first = once(lambda: bz2.compress(data, level))
    compress = fastest(lambda: bz2.compress(data, level), budget, first)
    unpacked, first = once(lambda: bz2.decompress(packed))
    if unpacked != data:
        raise SystemExit('bz2.decompress did not give the input back: ' + job['input'])
    decompress = fastest(lambda: bz2.decompress(packed), budget, first)
    if job.get('output'):
        with open(job['output'], 'wb') as f:
            f.write(packed)
    out.append({'compress': compress, 'decompress': decompress, 'bytes': len(packed)})
json.dump({'version': sys.version.split()[0], 'libbz2': version_of_libbz2(), 'results': out},
          sys.stdout)
`;

export interface PythonJob {
  /** File holding the input. */
  readonly input: string;
  /** Where to write bz2.compress's output, to check it from Node; none when not needed. */
  readonly output?: string;
}

export interface PythonRun {
  readonly seconds: number;
  readonly runs: number;
}

export interface PythonTimes {
  /** CPython's version, e.g. 3.11.7. */
  readonly version: string;
  /** The libbzip2 it is linked against, e.g. `1.0.8, 13-Jul-2019`. */
  readonly libbz2: string;
  readonly results: readonly {
    readonly compress: PythonRun;
    readonly decompress: PythonRun;
    readonly bytes: number;
  }[];
}

/** True when `python3` runs. */
export function hasPython(): boolean {
  return !spawnSync('python3', ['--version']).error;
}

/** Fastest times of `bz2.compress(data, level)` and `bz2.decompress` for each job, in order. */
export function timePython(jobs: readonly PythonJob[], level: number, budget: Budget): PythonTimes {
  const run = spawnSync('python3', ['-c', SCRIPT], {
    input: JSON.stringify({ jobs, level, budget }),
    encoding: 'utf8',
    maxBuffer: 16 << 20,
  });
  if (run.error) throw run.error;
  if (run.status !== 0) throw new Error(`python3 failed: ${run.stderr}`);
  const times = JSON.parse(run.stdout) as PythonTimes;
  if (times.results.length !== jobs.length) throw new Error('python3 returned too few results');
  return times;
}
