/**
 * The `bz2-napi` executable against bzip2 1.0.8, run as a user runs them: child processes in
 * temporary folders. The core is a differential table: each scenario (files to lay out, the
 * arguments, stdin, the environment) runs with `bzip2` in one folder and with `bz2-napi` in an
 * identical one, and the exit status, stdout's bytes, stderr (bzip2's in our name) and the
 * folder afterwards (names, bytes, modes, links, mtimes) must be the same. Then byte equality
 * at every level and thread count, decoding the streams of bzip2, pbzip2 and lbzip2, and the
 * deliberate differences from bzip2, each asserted on its own as our documented behaviour.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { asOurs, bzip2, cli, runCommand, tempFolder, type Ran } from './helpers/cli';
import { CORPUS_DIR, missingShared } from './helpers/corpus';
import { Prng, runs, text } from './helpers/inputs';
import { peersProblem } from './helpers/peers';
import { NEEDS_PEERS, posixIt, posixOnly } from './helpers/posix';

// ---------------------------------------------------------------------------------------------
// Inputs: deterministic, small enough for ASan's slower runs.

const TEXT = text(20_000, 11);
const TEXT2 = text(5_000, 12);
const RANDOM = new Prng(3).bytes(8_000);
const RUN = Buffer.alloc(12_000, 0x41);
/** About 300 kB of everything: text, noise and runs. */
const MIXED = Buffer.concat([text(150_000, 13), new Prng(4).bytes(50_000), runs(100_000, 300, 5)]);
/** Over 900 kB, so that -1 and -9 both cut it into several blocks. */
const BIG = Buffer.concat([text(600_000, 14), runs(250_000, 40, 6), new Prng(7).bytes(150_000)]);
const NOT_BZIP2 = 'plain text, not bzip2 at all\n';

/** Whole seconds since the epoch every laid-out file gets: outputs must carry it on. */
const FIXED_TIME = 1_600_000_000;

const compressed = new Map<string, Buffer>();

/** `bzip2 -level` of `data` (the real one, so that no input depends on the code under test). */
function bz(data: Buffer | string, level = 9): Buffer {
  const bytes = Buffer.from(data);
  const key = `${level}:${createHash('sha256').update(bytes).digest('hex')}`;
  let out = compressed.get(key);
  if (!out) {
    const ran = spawnSync('bzip2', [`-${level}`, '-c'], { input: bytes, maxBuffer: 1 << 26 });
    if (ran.status !== 0) throw new Error(`bzip2 -${level} failed: ${String(ran.stderr)}`);
    out = ran.stdout;
    compressed.set(key, out);
  }
  return out;
}

/** bz(TEXT) with one byte in the middle flipped: a data (CRC) error. */
function corrupt(): Buffer {
  const out = Buffer.from(bz(TEXT));
  const at = out.length >> 1;
  out[at] = (out[at] ?? 0) ^ 0xff;
  return out;
}

/** bz(TEXT) cut in half: it ends unexpectedly. */
function truncated(): Buffer {
  const whole = bz(TEXT);
  return whole.subarray(0, whole.length >> 1);
}

// ---------------------------------------------------------------------------------------------
// The differential harness.

type Entry =
  | Buffer
  | string
  | { readonly data: Buffer | string; readonly mode: number }
  | { readonly symlink: string }
  | { readonly hardLink: string }
  | { readonly dir: true }
  | { readonly fifo: true };

/** Names to entries, laid out in order (a hard link or symlink after its target). */
type Files = Readonly<Record<string, Entry>>;

interface Scenario {
  readonly title: string;
  readonly files?: Files | (() => Files);
  readonly args: readonly string[];
  readonly stdin?: Buffer | string | (() => Buffer);
  readonly env?: NodeJS.ProcessEnv;
  /** The exit status both must give: the scenario tests what it says. */
  readonly status: number;
  /**
   * 'agree': a fatal error midway through stdout; bzip2 drops the last chunk it decoded (its
   * BZ2_bzRead returns the error, not the bytes), we do not: one must be a prefix of the other.
   */
  readonly stdout?: 'exact' | 'agree';
  /** 'first-line': bzip2's usage text is not ours, on purpose. */
  readonly stderr?: 'exact' | 'first-line';
  /** bzip2's stderr (in our name) made ours where a deliberate difference shows in it. */
  readonly normalize?: (stderr: string) => string;
  /** bzip2's folder made ours where bzip2 1.0.8 has a quirk that we do not copy. */
  readonly normalizeFolder?: (folder: Folder) => Folder;
}

/** bzip2's advice says -tvv, ours -tv: our -vv is -v (no libbzip2 block details). */
const tvv = (stderr: string): string => stderr.replace(/-tvv option/g, '-tv option');

/**
 * A truncated file's fatal message: bzip2's "*Possible* reason follows." and the errno line
 * after it (a stale errno, such as "No such file or directory") are not ours.
 */
const truncation = (stderr: string): string =>
  tvv(stderr.replace(/ {2}\*Possible\* reason follows\.\nbz2-napi: [^\n]*\n/g, '\n'));

/**
 * On trailing garbage bzip2 1.0.8 returns before its fchmod (only the times are set after), so
 * that output keeps the 0600 it was created with; ours gets the input's mode, as always.
 */
const garbageMode =
  (name: string) =>
  (folder: Folder): Folder => {
    const node = folder[name];
    return node?.mode === '600' ? { ...folder, [name]: { ...node, mode: '644' } } : folder;
  };

function layOut(dir: string, files: Files): void {
  for (const [name, entry] of Object.entries(files)) {
    const path = join(dir, name);
    if (typeof entry === 'string' || Buffer.isBuffer(entry)) {
      writeFileSync(path, entry);
      chmodSync(path, 0o644);
    } else if ('data' in entry) {
      writeFileSync(path, entry.data);
      chmodSync(path, entry.mode);
    } else if ('symlink' in entry) {
      symlinkSync(entry.symlink, path);
      continue;
    } else if ('hardLink' in entry) {
      linkSync(join(dir, entry.hardLink), path);
    } else if ('dir' in entry) {
      mkdirSync(path);
      continue;
    } else {
      const made = spawnSync('mkfifo', [path]);
      if (made.status !== 0) throw new Error(`mkfifo ${path} failed: ${String(made.stderr)}`);
      continue;
    }
    utimesSync(path, FIXED_TIME, FIXED_TIME);
  }
}

type Folder = Readonly<Record<string, Node>>;

interface Node {
  readonly type: 'file' | 'dir' | 'symlink' | 'fifo' | 'other';
  readonly mode: string;
  readonly size?: number;
  readonly sha256?: string;
  readonly mtime?: number;
  readonly links?: number;
  readonly target?: string;
}

/** Every name under `dir` (recursively), with what a user could tell of it. */
function snapshot(dir: string, prefix = ''): Record<string, Node> {
  const out: Record<string, Node> = {};
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    const key = prefix + name;
    const stat = lstatSync(path);
    const mode = (stat.mode & 0o7777).toString(8);
    if (stat.isSymbolicLink()) {
      out[key] = { type: 'symlink', mode, target: readlinkSync(path) };
    } else if (stat.isDirectory()) {
      out[key] = { type: 'dir', mode };
      Object.assign(out, snapshot(path, `${key}/`));
    } else if (stat.isFile()) {
      const bytes = readFileSync(path);
      out[key] = {
        type: 'file',
        mode,
        size: bytes.length,
        sha256: createHash('sha256').update(bytes).digest('hex'),
        mtime: Math.floor(stat.mtimeMs / 1000),
        links: stat.nlink,
      };
    } else {
      out[key] = { type: stat.isFIFO() ? 'fifo' : 'other', mode };
    }
  }
  return out;
}

interface Outcome {
  readonly ref: Ran;
  readonly ours: Ran;
  readonly refFolder: Folder;
  readonly ourFolder: Folder;
}

async function runScenario(scenario: Scenario, root: string, index: number): Promise<Outcome> {
  const files = typeof scenario.files === 'function' ? scenario.files() : (scenario.files ?? {});
  const stdin = typeof scenario.stdin === 'function' ? scenario.stdin() : scenario.stdin;
  const refDir = join(root, `${index}-bzip2`);
  const ourDir = join(root, `${index}-ours`);
  for (const dir of [refDir, ourDir]) {
    mkdirSync(dir);
    layOut(dir, files);
  }
  const options = (cwd: string) => ({
    cwd,
    env: scenario.env ?? {},
    ...(stdin === undefined ? {} : { input: stdin }),
  });
  const [ref, ours] = await Promise.all([
    bzip2(scenario.args, options(refDir)),
    cli(scenario.args, options(ourDir)),
  ]);
  return { ref, ours, refFolder: snapshot(refDir), ourFolder: snapshot(ourDir) };
}

/** Where two buffers first differ, for a message that says more than "not equal". */
function describeBytes(ours: Buffer, ref: Buffer): string {
  let at = 0;
  while (at < ours.length && at < ref.length && ours[at] === ref[at]) at++;
  return `ours ${ours.length} bytes, bzip2's ${ref.length}, first difference at ${at}`;
}

function check(scenario: Scenario, { ref, ours, refFolder, ourFolder }: Outcome): void {
  const wanted = scenario.normalize ?? ((stderr: string) => stderr);
  const refErr = wanted(asOurs(ref.stderr));
  assert.equal(ref.status, scenario.status, `bzip2 itself: status ${ref.status}\n${ref.stderr}`);
  assert.equal(ours.status, ref.status, `exit status; our stderr:\n${ours.stderr}`);
  if (scenario.stderr === 'first-line') {
    assert.equal(ours.stderr.split('\n')[0], refErr.split('\n')[0], 'first line of stderr');
  } else {
    assert.equal(ours.stderr, refErr, 'stderr');
  }
  const shorter = Math.min(ours.stdout.length, ref.stdout.length);
  const same =
    scenario.stdout === 'agree'
      ? ours.stdout.subarray(0, shorter).equals(ref.stdout.subarray(0, shorter))
      : ours.stdout.equals(ref.stdout);
  assert.ok(same, `stdout: ${describeBytes(ours.stdout, ref.stdout)}`);
  const refWanted = scenario.normalizeFolder ? scenario.normalizeFolder(refFolder) : refFolder;
  assert.deepEqual(ourFolder, refWanted, 'the folder afterwards');
  // Every file here is an input or made from one: all must carry the inputs' mtime.
  for (const [name, node] of Object.entries(ourFolder)) {
    if (node.type === 'file') assert.equal(node.mtime, FIXED_TIME, `mtime of ${name}`);
  }
}

/** Runs `tasks` at most `width` at a time; each promise settles with its task. */
function pooled<T>(tasks: readonly (() => Promise<T>)[], width: number): Promise<T>[] {
  let next = 0;
  const starters: (() => void)[] = [];
  const results = tasks.map(
    (task) =>
      new Promise<T>((resolve, reject) => {
        starters.push(() => {
          task()
            .then(resolve, reject)
            .finally(() => starters[next++]?.());
        });
      }),
  );
  for (; next < Math.min(width, starters.length); next++) starters[next]?.();
  for (const result of results) result.catch(() => undefined); // awaited later, by its test
  return results;
}

// ---------------------------------------------------------------------------------------------
// The table.

const A = { a: TEXT };

const SCENARIOS: readonly Scenario[] = [
  // bzip2's interface.
  { title: 'compresses a file by default: a → a.bz2, a removed', files: A, args: ['a'], status: 0 },
  { title: '-z compresses', files: A, args: ['-z', 'a'], status: 0 },
  { title: '--compress compresses', files: A, args: ['--compress', 'a'], status: 0 },
  {
    title: 'the last of -d and -z wins',
    files: A,
    args: ['-d', '-z', 'a'],
    status: 0,
  },
  {
    title: '-d decompresses: a.bz2 → a, a.bz2 removed',
    files: () => ({ 'a.bz2': bz(TEXT) }),
    args: ['-d', 'a.bz2'],
    status: 0,
  },
  {
    title: '--decompress decompresses',
    files: () => ({ 'a.bz2': bz(TEXT) }),
    args: ['--decompress', 'a.bz2'],
    status: 0,
  },
  {
    title: '-t tests a good file silently, keeping it',
    files: () => ({ 'a.bz2': bz(TEXT) }),
    args: ['-t', 'a.bz2'],
    status: 0,
  },
  {
    title: '--test tests',
    files: () => ({ 'a.bz2': bz(TEXT) }),
    args: ['--test', 'a.bz2'],
    status: 0,
  },
  { title: '-c compresses to stdout, keeping the input', files: A, args: ['-c', 'a'], status: 0 },
  { title: '--stdout compresses to stdout', files: A, args: ['--stdout', 'a'], status: 0 },
  {
    title: '-dc decompresses to stdout',
    files: () => ({ 'a.bz2': bz(TEXT) }),
    args: ['-dc', 'a.bz2'],
    status: 0,
  },
  {
    title: '-c of several files writes their streams one after the other',
    files: { a: TEXT, b: RANDOM, c: RUN },
    args: ['-c', 'a', 'b', 'c'],
    status: 0,
  },
  {
    title: '-dc of several files',
    files: () => ({ 'a.bz2': bz(TEXT), 'b.bz2': bz(RANDOM, 3) }),
    args: ['-dc', 'a.bz2', 'b.bz2'],
    status: 0,
  },
  { title: '-k keeps the input', files: A, args: ['-k', 'a'], status: 0 },
  { title: '--keep keeps the input', files: A, args: ['--keep', 'a'], status: 0 },
  {
    title: '-dk keeps the compressed input',
    files: () => ({ 'a.bz2': bz(TEXT) }),
    args: ['-dk', 'a.bz2'],
    status: 0,
  },
  {
    title: '-dck: combined flags',
    files: () => ({ 'a.bz2': bz(TEXT) }),
    args: ['-dck', 'a.bz2'],
    status: 0,
  },
  { title: '-9k: a level and a flag combined', files: A, args: ['-9k', 'a'], status: 0 },
  { title: '-1 compresses with 100 kB blocks', files: { m: MIXED }, args: ['-1', 'm'], status: 0 },
  { title: '-5', files: { m: MIXED }, args: ['-5', 'm'], status: 0 },
  { title: '--fast is -1', files: { m: MIXED }, args: ['--fast', 'm'], status: 0 },
  { title: '--best is -9', files: { m: MIXED }, args: ['-1', '--best', 'm'], status: 0 },
  { title: 'the last level wins', files: { m: MIXED }, args: ['-9', '-2', 'm'], status: 0 },
  { title: '-v4: a flag and a level combined', files: { m: MIXED }, args: ['-v4', 'm'], status: 0 },
  { title: '-4v: the other way round', files: { m: MIXED }, args: ['-4v', 'm'], status: 0 },
  {
    title: '-v prints the ratio line of each file',
    files: { a: TEXT, longer_name: RANDOM, r: RUN, m: MIXED },
    args: ['-v', 'a', 'longer_name', 'r', 'm'],
    status: 0,
  },
  {
    title: '--verbose',
    files: A,
    args: ['--verbose', 'a'],
    status: 0,
  },
  {
    title: '-v of an empty file: no data compressed',
    files: { e: '' },
    args: ['-v', 'e'],
    status: 0,
  },
  {
    title: '-v from stdin to stdout',
    args: ['-v'],
    stdin: TEXT,
    status: 0,
  },
  {
    title: '-dv prints done',
    files: () => ({ 'a.bz2': bz(TEXT), 'b.bz2': bz(RUN) }),
    args: ['-dv', 'a.bz2', 'b.bz2'],
    status: 0,
  },
  {
    title: '-tv prints ok',
    files: () => ({ 'a.bz2': bz(TEXT), 'bb.bz2': bz(RUN) }),
    args: ['-tv', 'a.bz2', 'bb.bz2'],
    status: 0,
  },
  {
    title: '-cv: the ratio line with stdout as the output',
    files: A,
    args: ['-cv', 'a'],
    status: 0,
  },
  {
    title: 'several files in one call',
    files: { a: TEXT, b: RANDOM, c: RUN, e: '' },
    args: ['a', 'b', 'c', 'e'],
    status: 0,
  },
  {
    title: 'flags after the file names still count',
    files: { a: TEXT, b: RANDOM },
    args: ['a', 'b', '-k', '-3'],
    status: 0,
  },
  { title: 'no file: stdin compressed to stdout', args: [], stdin: MIXED, status: 0 },
  { title: 'no file, -3: stdin at level 3', args: ['-3'], stdin: MIXED, status: 0 },
  {
    title: 'no file, -d: stdin decompressed to stdout',
    args: ['-d'],
    stdin: () => bz(MIXED),
    status: 0,
  },
  {
    title: 'no file, -t: stdin tested',
    args: ['-t'],
    stdin: () => bz(MIXED),
    status: 0,
  },
  {
    title: 'no file, -tv: (stdin) is named',
    args: ['-tv'],
    stdin: () => bz(TEXT),
    status: 0,
  },
  {
    title: '-- ends the flags: a file named -k',
    files: { '-k': TEXT },
    args: ['--', '-k'],
    status: 0,
  },
  {
    title: '-d -- -k.bz2',
    files: () => ({ '-k.bz2': bz(TEXT) }),
    args: ['-d', '--', '-k.bz2'],
    status: 0,
  },
  {
    title: '-kf overwrites and keeps',
    files: { a: TEXT, 'a.bz2': 'old' },
    args: ['-kf', 'a'],
    status: 0,
  },
  {
    title: '-tv combined',
    files: () => ({ 'a.bz2': bz(TEXT) }),
    args: ['-tv', 'a.bz2'],
    status: 0,
  },
  {
    title: '--keep --force --quiet --verbose long forms together',
    files: { a: TEXT, 'a.bz2': 'old' },
    args: ['--keep', '--force', '--quiet', '--verbose', 'a'],
    status: 0,
  },
  {
    title: 'BZIP2 in the environment: its flags come first',
    files: A,
    env: { BZIP2: '-k -1' },
    args: ['a'],
    status: 0,
  },
  {
    title: 'BZIP in the environment',
    files: A,
    env: { BZIP: '-k' },
    args: ['-v', 'a'],
    status: 0,
  },
  {
    title: 'BZIP2 then BZIP then the command line: the last level wins',
    files: { m: MIXED },
    env: { BZIP2: '-2', BZIP: '-7 -k' },
    args: ['m'],
    status: 0,
  },
  {
    title: 'the command line overrides the environment',
    files: { m: MIXED },
    env: { BZIP2: '-1' },
    args: ['-8', 'm'],
    status: 0,
  },
  {
    title: 'BZIP2=-d decompresses',
    files: () => ({ 'a.bz2': bz(TEXT) }),
    env: { BZIP2: '-d' },
    args: ['a.bz2'],
    status: 0,
  },
  { title: '-s compresses at level 2 at most', files: { m: MIXED }, args: ['-s', 'm'], status: 0 },
  { title: '-s -1 stays at 1', files: { m: MIXED }, args: ['-s', '-1', 'm'], status: 0 },
  {
    title: '-ds decompresses',
    files: () => ({ 'm.bz2': bz(MIXED) }),
    args: ['-ds', 'm.bz2'],
    status: 0,
  },
  {
    title: '--small',
    files: { m: MIXED },
    args: ['--small', 'm'],
    status: 0,
  },
  {
    title: '--repetitive-fast is redundant, and accepted',
    files: A,
    args: ['--repetitive-fast', 'a'],
    status: 0,
  },
  {
    title: '--repetitive-best is redundant, and accepted',
    files: A,
    args: ['--repetitive-best', 'a'],
    status: 0,
  },
  { title: '--exponential is accepted', files: A, args: ['--exponential', 'a'], status: 0 },

  {
    title: 'no file, empty stdin: the 14-byte empty stream',
    args: [],
    stdin: '',
    status: 0,
  },
  {
    title: '-qv: quiet and verbose are independent',
    files: { a: TEXT, 'b.bz2': TEXT2, c: RUN },
    args: ['-qv', 'a', 'b.bz2', 'c'],
    status: 1,
  },
  {
    title: '--quiet alone',
    files: () => ({ 'a.gz': bz(TEXT) }),
    args: ['--quiet', '-d', 'a.gz'],
    status: 0,
  },
  {
    title: '-dv of a non-bzip2 file among good ones',
    files: () => ({ 'a.bz2': bz(TEXT), 'x.bz2': NOT_BZIP2, 'b.bz2': bz(RUN) }),
    args: ['-dv', 'a.bz2', 'x.bz2', 'b.bz2'],
    status: 2,
  },
  {
    title: '-dv of a corrupt file',
    files: () => ({ 'bad.bz2': corrupt() }),
    args: ['-dv', 'bad.bz2'],
    status: 2,
    normalize: tvv,
  },
  {
    title: '-dv with trailing garbage',
    files: () => ({ 'g.bz2': Buffer.concat([bz(TEXT2), Buffer.from('junk')]) }),
    args: ['-dv', 'g.bz2'],
    status: 0,
    normalizeFolder: garbageMode('g'),
  },
  {
    title: 'the worst exit status wins: a missing file (1) and a non-bzip2 one (2)',
    files: { 'x.bz2': NOT_BZIP2 },
    args: ['-d', 'nope.bz2', 'x.bz2'],
    status: 2,
  },

  // Names.
  {
    title: '-d of a file named just .bz2: an empty output name',
    files: () => ({ '.bz2': bz(TEXT) }),
    args: ['-d', '.bz2'],
    status: 1,
  },
  // Names.
  {
    title: '.bz decompresses to the bare name',
    files: () => ({ 'a.bz': bz(TEXT) }),
    args: ['-d', 'a.bz'],
    status: 0,
  },
  {
    title: '.tbz2 decompresses to .tar',
    files: () => ({ 'a.tbz2': bz(TEXT) }),
    args: ['-d', 'a.tbz2'],
    status: 0,
  },
  {
    title: '.tbz decompresses to .tar',
    files: () => ({ 'a.tbz': bz(TEXT) }),
    args: ['-d', 'a.tbz'],
    status: 0,
  },
  {
    title: 'an unknown suffix on -d: file.out, with a warning',
    files: () => ({ 'a.gz': bz(TEXT) }),
    args: ['-d', 'a.gz'],
    status: 0,
  },
  {
    title: 'an unknown suffix on -dq: file.out, no warning',
    files: () => ({ 'a.gz': bz(TEXT) }),
    args: ['-dq', 'a.gz'],
    status: 0,
  },
  {
    title: 'a name with no suffix at all on -d: .out',
    files: () => ({ plain: bz(TEXT) }),
    args: ['-d', 'plain'],
    status: 0,
  },
  {
    title: 'compressing a .bz2 file is skipped, exit 1, the next file still done',
    files: { 'a.bz2': TEXT, b: RANDOM },
    args: ['a.bz2', 'b'],
    status: 1,
  },
  {
    title: 'compressing a .bz file is skipped',
    files: { 'a.bz': TEXT },
    args: ['a.bz'],
    status: 1,
  },
  {
    title: 'compressing a .tbz2 file is skipped',
    files: { 'a.tbz2': TEXT },
    args: ['a.tbz2'],
    status: 1,
  },
  {
    title: 'compressing a .tbz file is skipped',
    files: { 'a.tbz': TEXT },
    args: ['a.tbz'],
    status: 1,
  },
  {
    title: 'compressing a .bz2 file to stdout is skipped too',
    files: { 'a.bz2': TEXT },
    args: ['-c', 'a.bz2'],
    status: 1,
  },
  {
    title: '-q: the skip is silent, still exit 1',
    files: { 'a.bz2': TEXT },
    args: ['-q', 'a.bz2'],
    status: 1,
  },
  {
    title: '-f does not make a .bz2 file compressible',
    files: { 'a.bz2': TEXT },
    args: ['-f', 'a.bz2'],
    status: 1,
  },

  // Safety.
  {
    title: 'an existing output is not overwritten without -f: both untouched, exit 1',
    files: { a: TEXT, 'a.bz2': 'precious' },
    args: ['a'],
    status: 1,
  },
  {
    title: 'an existing output of -d is not overwritten',
    files: () => ({ 'a.bz2': bz(TEXT), a: 'precious' }),
    args: ['-d', 'a.bz2'],
    status: 1,
  },
  {
    title: 'with -k too, an existing output stays',
    files: { a: TEXT, 'a.bz2': 'precious' },
    args: ['-k', 'a'],
    status: 1,
  },
  {
    title: 'an existing output stops only its own file',
    files: { a: TEXT, 'a.bz2': 'precious', b: RANDOM },
    args: ['a', 'b'],
    status: 1,
  },
  {
    title: '-f overwrites an existing output',
    files: { a: TEXT, 'a.bz2': 'old' },
    args: ['-f', 'a'],
    status: 0,
  },
  {
    title: '--force overwrites on -d',
    files: () => ({ 'a.bz2': bz(TEXT), a: 'old' }),
    args: ['--force', '-d', 'a.bz2'],
    status: 0,
  },
  {
    title: '-f overwrites a read-only output',
    files: { a: TEXT, 'a.bz2': { data: 'old', mode: 0o444 } },
    args: ['-f', 'a'],
    status: 0,
  },
  {
    title: 'a directory is skipped',
    files: { d: { dir: true }, a: TEXT },
    args: ['d', 'a'],
    status: 1,
  },
  {
    title: 'a directory is skipped even with -f',
    files: { d: { dir: true } },
    args: ['-f', 'd'],
    status: 1,
  },
  {
    title: 'a directory is skipped with -d and -t',
    files: { 'd.bz2': { dir: true } },
    args: ['-d', 'd.bz2'],
    status: 1,
  },
  {
    title: 'a directory on -t',
    files: { 'd.bz2': { dir: true } },
    args: ['-t', 'd.bz2'],
    status: 1,
  },
  {
    title: 'a symlink is not a normal file',
    files: { a: TEXT, l: { symlink: 'a' } },
    args: ['l'],
    status: 1,
  },
  {
    title: 'a symlink with -f is compressed, the link removed, its target kept',
    files: { a: TEXT, l: { symlink: 'a' } },
    args: ['-f', 'l'],
    status: 0,
  },
  {
    title: 'a symlink with -c is read',
    files: { a: TEXT, l: { symlink: 'a' } },
    args: ['-c', 'l'],
    status: 0,
  },
  {
    title: 'a dangling symlink cannot be opened',
    files: { l: { symlink: 'nowhere' } },
    args: ['l'],
    status: 1,
  },
  {
    title: 'a symlink on -d is not a normal file',
    files: () => ({ 'a.bz2': bz(TEXT), 'l.bz2': { symlink: 'a.bz2' } }),
    args: ['-d', 'l.bz2'],
    status: 1,
  },
  {
    title: '-q: "not a normal file" is not said, still exit 1',
    files: { a: TEXT, l: { symlink: 'a' } },
    args: ['-q', 'l'],
    status: 1,
  },
  // The reason in C's strerror words ("Too many levels of symbolic links"), not libuv's.
  {
    title: 'a symlink loop cannot be opened',
    files: { l: { symlink: 'l' } },
    args: ['l'],
    status: 1,
  },
  // strerror's "File name too long", not libuv's "Name too long".
  {
    title: 'a name too long cannot be opened',
    files: A,
    args: ['n'.repeat(300), 'a'],
    status: 1,
  },
  {
    title: 'a path through a file cannot be opened',
    files: A,
    args: ['a/b'],
    status: 1,
  },
  {
    title: 'a directory given with -c',
    files: { d: { dir: true } },
    args: ['-c', 'd'],
    status: 1,
  },
  {
    title: 'a hard-linked input is refused: "has 1 other link."',
    files: { a: TEXT, b: { hardLink: 'a' } },
    args: ['a'],
    status: 1,
  },
  {
    title: 'an input with two other links',
    files: { a: TEXT, b: { hardLink: 'a' }, c: { hardLink: 'a' } },
    args: ['a'],
    status: 1,
  },
  {
    title: 'a hard-linked input with -f is compressed, its other name kept',
    files: { a: TEXT, b: { hardLink: 'a' } },
    args: ['-f', 'a'],
    status: 0,
  },
  {
    title: 'a hard-linked input with -c is read',
    files: { a: TEXT, b: { hardLink: 'a' } },
    args: ['-c', 'a'],
    status: 0,
  },
  {
    title: 'a missing input: "Can\'t open input file", the next file still done',
    files: A,
    args: ['nope', 'a'],
    status: 1,
  },
  {
    title: 'a missing input on -d',
    files: () => ({ 'a.bz2': bz(TEXT) }),
    args: ['-d', 'nope.bz2', 'a.bz2'],
    status: 1,
  },
  {
    title: 'the output gets the input mode 0640',
    files: { a: { data: TEXT, mode: 0o640 } },
    args: ['a'],
    status: 0,
  },
  {
    title: 'the output of -d gets the input mode 0600',
    files: () => ({ 'a.bz2': { data: bz(TEXT), mode: 0o600 } }),
    args: ['-d', 'a.bz2'],
    status: 0,
  },
  {
    title: 'an executable keeps mode 0755 through -k',
    files: { a: { data: TEXT, mode: 0o755 } },
    args: ['-k', 'a'],
    status: 0,
  },

  {
    title: 'a read-only input gives a read-only output',
    files: { a: { data: TEXT, mode: 0o444 } },
    args: ['a'],
    status: 0,
  },
  {
    title: 'setuid and sticky bits are carried over too',
    files: { a: { data: TEXT, mode: 0o5711 } },
    args: ['-k', 'a'],
    status: 0,
  },

  // Verdicts and exit codes.
  {
    title: '-t: good, corrupt, truncated and not-bzip2 files, the advice at the end, exit 2',
    files: () => ({
      'good.bz2': bz(TEXT),
      'bad.bz2': corrupt(),
      'cut.bz2': truncated(),
      'x.bz2': NOT_BZIP2,
      'good2.bz2': bz(RUN),
    }),
    args: ['-t', 'good.bz2', 'bad.bz2', 'cut.bz2', 'x.bz2', 'good2.bz2'],
    status: 2,
  },
  {
    title: '-tv: each verdict on its line',
    files: () => ({
      'good.bz2': bz(TEXT),
      'bad.bz2': corrupt(),
      'cut.bz2': truncated(),
      'x.bz2': NOT_BZIP2,
    }),
    args: ['-tv', 'good.bz2', 'bad.bz2', 'cut.bz2', 'x.bz2'],
    status: 2,
  },
  {
    title: '-t of one corrupt file',
    files: () => ({ 'bad.bz2': corrupt() }),
    args: ['-t', 'bad.bz2'],
    status: 2,
  },
  {
    title: '-t of one truncated file',
    files: () => ({ 'cut.bz2': truncated() }),
    args: ['-t', 'cut.bz2'],
    status: 2,
  },
  {
    title: '-t of one file that is not bzip2',
    files: { 'x.bz2': NOT_BZIP2 },
    args: ['-t', 'x.bz2'],
    status: 2,
  },
  {
    title: '-tq: exit 2 all the same',
    files: () => ({ 'good.bz2': bz(TEXT), 'bad.bz2': corrupt(), 'x.bz2': NOT_BZIP2 }),
    args: ['-tq', 'good.bz2', 'bad.bz2', 'x.bz2'],
    status: 2,
  },
  {
    title: '-t of stdin that is corrupt',
    args: ['-t'],
    stdin: corrupt,
    status: 2,
  },
  {
    title: '-d of a corrupt file in a list stops the run, exit 2, its partial output deleted',
    files: () => ({ 'a.bz2': bz(TEXT2), 'bad.bz2': corrupt(), 'b.bz2': bz(RUN) }),
    args: ['-d', 'a.bz2', 'bad.bz2', 'b.bz2'],
    status: 2,
    normalize: tvv,
  },
  {
    title: '-dq of a corrupt file: the fatal message only',
    files: () => ({ 'bad.bz2': corrupt(), 'b.bz2': bz(RUN) }),
    args: ['-dq', 'bad.bz2', 'b.bz2'],
    status: 2,
  },
  {
    title: '-dk of a corrupt file',
    files: () => ({ 'bad.bz2': corrupt() }),
    args: ['-dk', 'bad.bz2'],
    status: 2,
    normalize: tvv,
  },
  {
    title: '-d of a truncated file in a list stops the run',
    files: () => ({ 'cut.bz2': truncated(), 'b.bz2': bz(RUN) }),
    args: ['-d', 'cut.bz2', 'b.bz2'],
    status: 2,
    normalize: truncation,
  },
  {
    title: '-d of a non-bzip2 file: "not a bzip2 file.", exit 2, later files still done',
    files: () => ({ 'x.bz2': NOT_BZIP2, 'a.bz2': bz(TEXT) }),
    args: ['-d', 'x.bz2', 'a.bz2'],
    status: 2,
  },
  {
    title: '-d of a non-bzip2 stdin',
    args: ['-d'],
    stdin: NOT_BZIP2,
    status: 2,
  },
  {
    title: '-d of a file shorter than the magic',
    files: { 'x.bz2': 'BZ' },
    args: ['-d', 'x.bz2'],
    status: 2,
    normalize: truncation,
  },
  {
    title: '-d of a file with a bad level digit',
    files: () => ({ 'x.bz2': Buffer.concat([Buffer.from('BZh0'), bz(TEXT).subarray(4)]) }),
    args: ['-d', 'x.bz2'],
    status: 2,
  },
  {
    title: 'trailing garbage after a stream: a warning, exit 0',
    files: () => ({ 'g.bz2': Buffer.concat([bz(TEXT2), Buffer.from('trailing junk\n')]) }),
    args: ['-d', 'g.bz2'],
    status: 0,
    normalizeFolder: garbageMode('g'),
  },
  {
    title: 'trailing garbage with -dq: no warning',
    files: () => ({ 'g.bz2': Buffer.concat([bz(TEXT2), Buffer.from('trailing junk\n')]) }),
    args: ['-dq', 'g.bz2'],
    status: 0,
    normalizeFolder: garbageMode('g'),
  },
  {
    title: 'trailing garbage on -t',
    files: () => ({ 'g.bz2': Buffer.concat([bz(TEXT2), Buffer.from('trailing junk\n')]) }),
    args: ['-t', 'g.bz2'],
    status: 0,
  },
  {
    title: 'trailing garbage on -tv',
    files: () => ({ 'g.bz2': Buffer.concat([bz(TEXT2), Buffer.from('trailing junk\n')]) }),
    args: ['-tv', 'g.bz2'],
    status: 0,
  },
  {
    title: 'trailing garbage on -dc from stdin',
    args: ['-dc'],
    stdin: () => Buffer.concat([bz(TEXT2), Buffer.from([0, 1, 2, 3, 4, 5, 6])]),
    status: 0,
  },
  {
    title: 'concatenated streams decode to both',
    files: () => ({ 'ab.bz2': Buffer.concat([bz(TEXT), bz(TEXT2, 1)]) }),
    args: ['-d', 'ab.bz2'],
    status: 0,
  },
  {
    title: 'concatenated streams test ok',
    files: () => ({ 'ab.bz2': Buffer.concat([bz(TEXT), bz(TEXT2, 1), bz('')]) }),
    args: ['-tv', 'ab.bz2'],
    status: 0,
  },
  {
    title: '-df of a non-bzip2 file copies it through',
    files: { 'x.bz2': NOT_BZIP2 },
    args: ['-df', 'x.bz2'],
    status: 0,
  },
  {
    title: '-dcf of a non-bzip2 file copies it to stdout',
    files: { 'x.bz2': NOT_BZIP2 },
    args: ['-dcf', 'x.bz2'],
    status: 0,
  },
  {
    title: '-dc of a corrupt file',
    files: () => ({ 'bad.bz2': corrupt() }),
    args: ['-dc', 'bad.bz2'],
    status: 2,
    stdout: 'agree',
    normalize: tvv,
  },
  {
    title: '-dc of a corrupt stdin',
    args: ['-dc'],
    stdin: corrupt,
    status: 2,
    stdout: 'agree',
    normalize: tvv,
  },
  {
    title: '-dc of a truncated stdin',
    args: ['-dc'],
    stdin: truncated,
    status: 2,
    stdout: 'agree',
    normalize: truncation,
  },
  {
    title: 'a bad short flag: exit 1',
    files: A,
    args: ['-x', 'a'],
    status: 1,
    stderr: 'first-line',
  },
  // bzip2 names the whole word (`-kx'), not only the bad letter.
  {
    title: 'a bad flag combined with good ones names the whole word',
    files: A,
    args: ['-kx', 'a'],
    status: 1,
    stderr: 'first-line',
  },
  {
    title: 'a bad long flag: exit 1',
    files: A,
    args: ['--nonsense', 'a'],
    status: 1,
    stderr: 'first-line',
  },
  { title: '--9 is not a flag', files: A, args: ['--9', 'a'], status: 1, stderr: 'first-line' },
  // bzip2's words, not parseArgs' message.
  {
    title: 'a long flag given a value',
    files: A,
    args: ['--stdout=yes', 'a'],
    status: 1,
    stderr: 'first-line',
  },
  {
    title: 'a bad flag in BZIP2',
    files: A,
    env: { BZIP2: '-y' },
    args: ['a'],
    status: 1,
    stderr: 'first-line',
  },
  // bzip2 prints this one line and no usage.
  { title: '-c -t is refused, exit 1', files: A, args: ['-c', '-t', 'a'], status: 1 },
  { title: '-tc is refused', files: A, args: ['-tc', 'a'], status: 1 },
];

// ---------------------------------------------------------------------------------------------

/** Why bzip2 (the reference) is missing, or undefined: the tests that need it fail with it. */
let referenceProblem: string | undefined;
/** Why a peer (lbzip2, pbzip2, bzip2) is missing: only the peers' tests fail with it. */
let peersMissing: string | undefined;

function need(problem: string | undefined): void {
  if (problem !== undefined) assert.fail(problem);
}

describe('bz2-napi, the command line, against bzip2 1.0.8', function () {
  before(function () {
    this.timeout(600_000); // peersProblem may apt-get them on a fresh machine
    peersMissing = peersProblem();
    const found = spawnSync('bzip2', ['--help'], { stdio: 'ignore' }).error === undefined;
    referenceProblem = found ? undefined : (peersMissing ?? 'bzip2 is not on PATH');
  });

  describe('the differential table', () => {
    if (posixOnly(NEEDS_PEERS)) return;
    let folder: ReturnType<typeof tempFolder> | undefined;
    let outcomes: Promise<Outcome>[] = [];
    before(() => {
      if (referenceProblem !== undefined) return;
      const { dir } = (folder = tempFolder());
      // Independent child processes, a few at a time: the table takes seconds, not a minute.
      outcomes = pooled(
        SCENARIOS.map((scenario, index) => () => runScenario(scenario, dir, index)),
        4,
      );
    });
    after(() => folder?.remove());

    SCENARIOS.forEach((scenario, index) => {
      it(scenario.title, async () => {
        need(referenceProblem);
        const outcome = outcomes[index];
        assert.ok(outcome, 'the scenario was not started');
        check(scenario, await outcome);
      });
    });
  });

  describe('byte for byte bzip2 -N', () => {
    if (posixOnly(NEEDS_PEERS)) return;
    let folder: ReturnType<typeof tempFolder> | undefined;
    const inputs: Readonly<Record<string, Buffer>> = {
      mixed: MIXED,
      big: BIG,
      noise: Buffer.concat([RANDOM, RUN, TEXT2, RANDOM]),
    };
    before(() => {
      folder = tempFolder();
      for (const [name, data] of Object.entries(inputs))
        writeFileSync(join(folder.dir, name), data);
    });
    after(() => folder?.remove());

    for (const [name, data] of Object.entries(inputs)) {
      it(`${name} (${data.length} bytes): -1 .. -9`, async () => {
        need(referenceProblem);
        await sameAtEveryLevel(name, folder?.dir ?? '');
      });
    }

    const CORPUS = ['alice29.txt', 'fireworks.jpeg'];
    if (CORPUS.every((name) => existsSync(join(CORPUS_DIR, name)))) {
      for (const name of CORPUS) {
        it(`the corpus's ${name}, read in place: -1 .. -9`, async () => {
          need(referenceProblem);
          await sameAtEveryLevel(join(CORPUS_DIR, name), folder?.dir ?? '');
        });
      }
    } else {
      it.skip(missingShared('corpus'));
    }

    it('-T 1, -T 2, -T 4, --threads=3 and --threads 2 give the same bytes, at -1 and -9', async () => {
      need(referenceProblem);
      const threads = [['-T', '1'], ['-T', '2'], ['-T', '4'], ['--threads=3'], ['--threads', '2']];
      const cases = [1, 9].flatMap((level) => threads.map((flags) => ({ level, flags })));
      const ran = await Promise.all(
        cases.map(({ level, flags }) =>
          cli([`-${level}`, ...flags, '-kc', 'big'], { cwd: folder?.dir ?? '' }),
        ),
      );
      cases.forEach(({ level, flags }, i) => {
        const ours = ran[i];
        const label = `-${level} ${flags.join(' ')}`;
        assert.ok(ours, label);
        assert.equal(ours.status, 0, `${label}: ${ours.stderr}`);
        assert.equal(ours.stderr, '', label);
        const ref = bz(BIG, level);
        assert.ok(ours.stdout.equals(ref), `${label}: ${describeBytes(ours.stdout, ref)}`);
      });
    });
  });

  describe('decoding the streams of bzip2, pbzip2 and lbzip2', () => {
    if (posixOnly(NEEDS_PEERS)) return;
    // pbzip2 writes one stream per chunk (several here), lbzip2 cuts its blocks its own way.
    const MAKERS: readonly (readonly [string, readonly string[]])[] = [
      ['bzip2', ['-c']],
      ['pbzip2', ['-p2', '-c']],
      ['lbzip2', ['-n2', '-c']],
    ];
    for (const [tool, flags] of MAKERS) {
      for (const level of [1, 9]) {
        it(`${tool} ${flags.join(' ')} -${level}: -d, -dc -T 1, -dc -T 2 and -t give the original`, async () => {
          need(peersMissing);
          const made = await runCommand(tool, [...flags, `-${level}`], { input: BIG });
          assert.equal(made.status, 0, `${tool}: ${made.stderr}`);
          const { dir, remove } = tempFolder();
          try {
            writeFileSync(join(dir, 'big.bz2'), made.stdout);
            const [one, two, test] = await Promise.all([
              cli(['-dc', '-T', '1', 'big.bz2'], { cwd: dir }),
              cli(['-dc', '-T', '2', 'big.bz2'], { cwd: dir }),
              cli(['-t', 'big.bz2'], { cwd: dir }),
            ]);
            for (const [label, ran] of [
              ['-dc -T 1', one],
              ['-dc -T 2', two],
            ] as const) {
              assert.equal(ran.status, 0, `${label}: ${ran.stderr}`);
              assert.equal(ran.stderr, '', label);
              assert.ok(ran.stdout.equals(BIG), `${label}: ${describeBytes(ran.stdout, BIG)}`);
            }
            assert.equal(test.status, 0, test.stderr);
            assert.equal(test.stderr, '');
            const file = await cli(['-d', 'big.bz2'], { cwd: dir });
            assert.equal(file.status, 0, file.stderr);
            assert.equal(file.stderr, '');
            assert.ok(readFileSync(join(dir, 'big')).equals(BIG), 'big, decompressed');
            assert.ok(!existsSync(join(dir, 'big.bz2')), 'big.bz2 removed');
          } finally {
            remove();
          }
        });
      }
    }
  });

  describe('deliberate differences from bzip2: our documented behaviour', () => {
    let folder: ReturnType<typeof tempFolder> | undefined;
    let serial = 0;
    /** A fresh folder laid out with `files`. */
    const fresh = (files: Files): string => {
      const dir = join(folder?.dir ?? '', String(serial++));
      mkdirSync(dir);
      layOut(dir, files);
      return dir;
    };
    before(() => {
      folder = tempFolder();
    });
    after(() => folder?.remove());

    // bzip2 prints its help on stderr; ours goes to stdout, to be paged or grepped.
    it('-h and --help print our help on stdout, exit 0', async () => {
      for (const flag of ['-h', '--help']) {
        const ran = await cli([flag]);
        assert.equal(ran.status, 0, flag);
        assert.equal(ran.stderr, '', flag);
        const help = ran.stdout.toString();
        assert.match(help, /^bz2-napi \d+\.\d+\.\d+, /, flag);
        assert.match(help, /usage: bz2-napi \[flags and input files in any order\]/, flag);
        assert.match(help, /-T --threads N/, flag);
      }
    });

    // bzip2's -V/-L print its own version and licence, on stderr.
    it('-V, -L, --version and --license print our version on stdout, exit 0', async () => {
      for (const flag of ['-V', '-L', '--version', '--license']) {
        const ran = await cli([flag]);
        assert.equal(ran.status, 0, flag);
        assert.equal(ran.stderr, '', flag);
        assert.match(ran.stdout.toString(), /^bz2-napi \d+\.\d+\.\d+, .*libbzip2 1\.0\.8/, flag);
      }
    });

    // bzip2 says "Compressed file ends unexpectedly" and exits 2; CPython's bz2 accepts it.
    it('an empty input to -d and -t is accepted: empty output, exit 0', async () => {
      const dir = fresh({ 'e.bz2': '', 'f.bz2': '' });
      const decompressed = await cli(['-d', 'e.bz2'], { cwd: dir });
      assert.equal(decompressed.status, 0, decompressed.stderr);
      assert.equal(decompressed.stderr, '');
      assert.deepEqual(Object.keys(snapshot(dir)), ['e', 'f.bz2']);
      assert.equal(readFileSync(join(dir, 'e')).length, 0);
      const tested = await cli(['-tv', 'f.bz2'], { cwd: dir });
      assert.equal(tested.status, 0, tested.stderr);
      assert.equal(tested.stderr, '  f.bz2:   ok\n');
      const piped = await cli(['-d'], { input: '' });
      assert.equal(piped.status, 0, piped.stderr);
      assert.equal(piped.stdout.length, 0);
      assert.equal(piped.stderr, '');
    });

    // bzip2 ignores a lone `-`.
    posixIt(NEEDS_PEERS, '`-` is stdin at its place in the file list', async () => {
      need(referenceProblem);
      const dir = fresh({ a: TEXT, b: RANDOM, 'r.bz2': bz(RUN) });
      const both = await cli(['-c', 'a', '-', 'b'], { cwd: dir, input: TEXT2 });
      assert.equal(both.status, 0, both.stderr);
      assert.equal(both.stderr, '');
      const wanted = Buffer.concat([bz(TEXT), bz(TEXT2), bz(RANDOM)]);
      assert.ok(both.stdout.equals(wanted), describeBytes(both.stdout, wanted));
      const back = await cli(['-dc', 'r.bz2', '-'], { cwd: dir, input: bz(TEXT) });
      assert.equal(back.status, 0, back.stderr);
      assert.ok(back.stdout.equals(Buffer.concat([RUN, TEXT])));
      // Among files written beside their inputs, `-` still goes to stdout.
      const mixed = await cli(['-k', 'a', '-'], { cwd: dir, input: TEXT2 });
      assert.equal(mixed.status, 0, mixed.stderr);
      assert.ok(mixed.stdout.equals(bz(TEXT2)));
      assert.ok(readFileSync(join(dir, 'a.bz2')).equals(bz(TEXT)));
    });

    // bzip2 adds "  *Possible* reason follows." and a stale errno line after the first line.
    posixIt(NEEDS_PEERS, "a truncated file's fatal message omits bzip2's errno line", async () => {
      need(referenceProblem);
      const dir = fresh({ 'cut.bz2': truncated(), 'b.bz2': bz(RUN) });
      const ran = await cli(['-d', 'cut.bz2', 'b.bz2'], { cwd: dir });
      assert.equal(ran.status, 2);
      assert.equal(
        ran.stderr,
        '\nbz2-napi: Compressed file ends unexpectedly;\n' +
          '\tperhaps it is corrupted?\n' +
          '\tInput file = cut.bz2, output file = cut\n' +
          '\nIt is possible that the compressed file(s) have become corrupted.\n' +
          'You can use the -tv option to test integrity of such files.\n' +
          "\nYou can use the `bzip2recover' program to attempt to recover\n" +
          'data from undamaged sections of corrupted files.\n\n' +
          'bz2-napi: Deleting output file cut, if it exists.\n' +
          'bz2-napi: WARNING: some files have not been processed:\n' +
          'bz2-napi:    2 specified on command line, 1 not processed yet.\n\n',
      );
      assert.deepEqual(Object.keys(snapshot(dir)), ['b.bz2', 'cut.bz2']);
    });

    // bzip2 says -tvv, whose block details ours does not print.
    posixIt(NEEDS_PEERS, 'the advice after a data error says -tv', async () => {
      need(referenceProblem);
      const dir = fresh({ 'bad.bz2': corrupt() });
      const ran = await cli(['-d', 'bad.bz2'], { cwd: dir });
      assert.equal(ran.status, 2);
      assert.match(ran.stderr, /\nYou can use the -tv option to test integrity of such files\.\n/);
      assert.doesNotMatch(ran.stderr, /-tvv/);
    });

    // bzip2 -vv adds libbzip2's block-by-block details; ours has none to give.
    posixIt(NEEDS_PEERS, "-vv is -v: bzip2 -v's lines exactly, on -z, -d and -t", async () => {
      need(referenceProblem);
      const dir = fresh({ m: MIXED, 'm.bz2': bz(MIXED), 'n.bz2': bz(TEXT) });
      const cases = [
        [
          ['-vvc', 'm'],
          ['-vc', 'm'],
        ],
        [
          ['-vvdc', 'm.bz2'],
          ['-vdc', 'm.bz2'],
        ],
        [
          ['-vvt', 'm.bz2', 'n.bz2'],
          ['-vt', 'm.bz2', 'n.bz2'],
        ],
      ] as const;
      for (const [ourArgs, refArgs] of cases) {
        const [ours, ref] = await Promise.all([
          cli(ourArgs, { cwd: dir }),
          bzip2(refArgs, { cwd: dir }),
        ]);
        assert.equal(ours.status, 0, ours.stderr);
        assert.equal(ours.stderr, asOurs(ref.stderr), ourArgs.join(' '));
        assert.ok(ours.stdout.equals(ref.stdout), ourArgs.join(' '));
      }
    });

    // bzip2 reports a data error there; CPython's rule: a later stream that fails before giving
    // any output is trailing garbage.
    posixIt(
      NEEDS_PEERS,
      'a later stream with a BZh9 header that fails at once is trailing garbage',
      async () => {
        need(referenceProblem);
        const data = Buffer.concat([bz(TEXT2), Buffer.from('BZh9 and then no block at all')]);
        const dir = fresh({ 'g.bz2': data, 'h.bz2': data });
        const [decompressed, tested] = await Promise.all([
          cli(['-d', 'g.bz2'], { cwd: dir }),
          cli(['-t', 'h.bz2'], { cwd: dir }),
        ]);
        assert.equal(decompressed.status, 0, decompressed.stderr);
        assert.equal(
          decompressed.stderr,
          '\nbz2-napi: g.bz2: trailing garbage after EOF ignored\n',
        );
        assert.ok(readFileSync(join(dir, 'g')).equals(TEXT2));
        assert.equal(tested.status, 0, tested.stderr);
        assert.equal(tested.stderr, 'bz2-napi: h.bz2: trailing garbage after EOF ignored\n');
      },
    );

    // bzip2 says "input file" but, for -t, "input"; where its open fails after its existence
    // check passed, it writes "Can't open input file X:reason." (no space), not reproduced.
    posixIt(
      NEEDS_PEERS,
      '-c and -t: "Can\'t open input file X: reason." / "Can\'t open input X: reason."',
      async () => {
        need(referenceProblem);
        const dir = fresh({ a: TEXT, 'a.bz2': bz(TEXT2) });
        const [compressing, testing, theirs] = await Promise.all([
          cli(['-c', 'nope', 'a'], { cwd: dir }),
          cli(['-t', 'nope', 'a.bz2'], { cwd: dir }),
          bzip2(['-t', 'nope', 'a.bz2'], { cwd: dir }),
        ]);
        assert.equal(compressing.status, 1);
        assert.equal(
          compressing.stderr,
          "bz2-napi: Can't open input file nope: No such file or directory.\n",
        );
        assert.equal(testing.status, 1);
        assert.equal(
          testing.stderr,
          "bz2-napi: Can't open input nope: No such file or directory.\n",
        );
        assert.equal(testing.stderr, asOurs(theirs.stderr));
        assert.ok(compressing.stdout.equals(bz(TEXT)), 'the next file still compressed');
      },
    );

    // bzip2 1.0.8 blocks on a FIFO: its existence check opens the file for reading, before the
    // "not a normal file" check that would refuse it.
    posixIt(
      'a FIFO (mkfifo), which Windows does not have',
      'a FIFO is "not a normal file", said without opening it',
      async () => {
        const dir = fresh({ p: { fifo: true }, a: TEXT });
        const ran = await cli(['p', 'a'], { cwd: dir, timeoutMs: 30_000 });
        assert.equal(ran.status, 1, ran.stderr);
        assert.equal(ran.stderr, 'bz2-napi: Input file p is not a normal file.\n');
        const quiet = await cli(['-q', 'p'], { cwd: dir, timeoutMs: 30_000 });
        assert.equal(quiet.status, 1);
        assert.equal(quiet.stderr, '');
        const after = snapshot(dir);
        assert.deepEqual(Object.keys(after), ['a.bz2', 'p']);
        assert.equal(after['p']?.type, 'fifo');
      },
    );

    // bzip2 rewinds the input to copy it, which a pipe cannot do: it loses the first 5000 bytes.
    it('-df of non-bzip2 stdin copies all of it', async () => {
      for (const input of [RANDOM, MIXED]) {
        const ran = await cli(['-df'], { input });
        assert.equal(ran.status, 0, ran.stderr);
        assert.equal(ran.stderr, '');
        assert.ok(ran.stdout.equals(input), describeBytes(ran.stdout, input));
      }
    });

    // bzip2 -f removes an empty directory in the output's place and writes there; ours refuses
    // to create the output, keeping the input.
    it('-f with a directory where the output goes: refused, exit 1, both kept', async () => {
      const dir = fresh({ a: TEXT, 'a.bz2': { dir: true } });
      const ran = await cli(['-f', 'a'], { cwd: dir });
      assert.equal(ran.status, 1);
      assert.match(ran.stderr, /^bz2-napi: Can't create output file a\.bz2: .+\.\n$/);
      const after = snapshot(dir);
      assert.equal(after['a']?.type, 'file');
      assert.equal(after['a.bz2']?.type, 'dir');
    });
  });
});

/** `bzip2 -N -kc path` and ours give the same bytes for N = 1 .. 9 (all run side by side). */
async function sameAtEveryLevel(path: string, cwd: string): Promise<void> {
  const levels = [1, 2, 3, 4, 5, 6, 7, 8, 9];
  const ran = await Promise.all(
    levels.map((level) => {
      const args = [`-${level}`, '-kc', path];
      return Promise.all([bzip2(args, { cwd }), cli(args, { cwd })]);
    }),
  );
  levels.forEach((level, i) => {
    const [ref, ours] = ran[i] ?? [];
    assert.ok(ref && ours);
    assert.equal(ref.status, 0, `bzip2 -${level}: ${ref.stderr}`);
    assert.equal(ours.status, 0, `-${level}: ${ours.stderr}`);
    assert.equal(ours.stderr, '', `-${level}`);
    assert.ok(
      ours.stdout.equals(ref.stdout),
      `-${level}: ${describeBytes(ours.stdout, ref.stdout)}`,
    );
  });
}
