/**
 * CPython's bz2 timed in its own process with the rule of bench/timing.ts, on the same bytes
 * (handed over as files, since it is another process; the timing covers only the in-memory
 * `bz2.compress` / `bz2.decompress` calls).
 */
import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
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

const DECODER_SCRIPT = `
import bz2, sys, time

with open(sys.argv[1], 'rb') as f:
    packed = f.read()
with open(sys.argv[2], 'rb') as f:
    original = f.read()
# Checked before any timing: a decoder that gives wrong bytes is never timed.
if bz2.decompress(packed) != original:
    sys.stderr.write('bz2.decompress did not give the input back: ' + sys.argv[1] + '\\n')
    sys.exit(2)
print('ready ' + sys.version.split()[0], flush=True)
for line in sys.stdin:
    t0 = time.perf_counter()
    bz2.decompress(packed)
    print(repr(time.perf_counter() - t0), flush=True)
`;

/**
 * CPython's `bz2.decompress` kept ready in its own process, to be timed one call at a time in
 * rounds beside the other decoders: {@link PythonDecoder.once} asks for one call and resolves
 * to the seconds it took, timed in Python around the call alone (so the pipe round trip is not
 * counted, the same as {@link timePython}).
 */
export interface PythonDecoder {
  readonly version: string;
  once(): Promise<number>;
  close(): void;
}

/**
 * Starts python3 on `packed` (a file of bzip2 data) and checks, before anything is timed, that
 * `bz2.decompress` of it equals the file `original`; rejects when it does not.
 */
export function startPythonDecoder(packed: string, original: string): Promise<PythonDecoder> {
  const child = spawn('python3', ['-c', DECODER_SCRIPT, packed, original], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const lines = createInterface({ input: child.stdout });
  const waiting: { resolve: (line: string) => void; reject: (error: Error) => void }[] = [];
  let ended: Error | undefined;
  lines.on('line', (line) => waiting.shift()?.resolve(line));
  child.on('close', (code, signal) => {
    ended = new Error(`python3 bz2 decoder exited (${code ?? signal}): ${stderr.trim()}`);
    for (const w of waiting.splice(0)) w.reject(ended);
  });
  child.on('error', (error) => {
    ended = error;
    for (const w of waiting.splice(0)) w.reject(error);
  });
  const next = (): Promise<string> =>
    ended
      ? Promise.reject(ended)
      : new Promise((resolve, reject) => waiting.push({ resolve, reject }));
  return next().then((ready) => {
    const version = /^ready (\S+)$/.exec(ready)?.[1];
    if (version === undefined) throw new Error(`python3 bz2 decoder said: ${ready}`);
    return {
      version,
      once: async (): Promise<number> => {
        const answer = next();
        child.stdin.write('go\n');
        const seconds = Number(await answer);
        if (!Number.isFinite(seconds)) throw new Error('python3 bz2 decoder gave no time');
        return seconds;
      },
      close: (): void => {
        child.stdin.end();
      },
    };
  });
}
