'use strict';
// The prebuilds the package ships: each a zig target, the folder and tags that prebuildify gives
// it (and node-gyp-build matches: `*.musl.node` only where the libc is musl, `*.glibc.node`
// never there), and how the platform tests run it.
const { join } = require('node:path');
const { root } = require('./fetch');

/**
 * zig: the target triple (glibc 2.17 is the manylinux2014 floor). platform, arch, libc: what
 * prebuildify names and node-gyp-build matches. host: the test host (test-platforms.js: native, qemu, wine or bun).
 */
const TARGETS = [
  {
    id: 'linux-x64-glibc',
    zig: 'x86_64-linux-gnu.2.17',
    platform: 'linux',
    arch: 'x64',
    libc: 'glibc',
    host: 'native',
  },
  {
    id: 'linux-x64-musl',
    zig: 'x86_64-linux-musl',
    platform: 'linux',
    arch: 'x64',
    libc: 'musl',
    host: 'bun',
  },
  {
    id: 'linux-arm64-glibc',
    zig: 'aarch64-linux-gnu.2.17',
    platform: 'linux',
    arch: 'arm64',
    libc: 'glibc',
    host: 'qemu',
  },
  {
    id: 'linux-arm64-musl',
    zig: 'aarch64-linux-musl',
    platform: 'linux',
    arch: 'arm64',
    libc: 'musl',
    host: 'bun',
  },
  {
    id: 'win32-x64',
    zig: 'x86_64-windows-gnu',
    platform: 'win32',
    arch: 'x64',
    libc: '',
    host: 'wine',
  },
];

/** Where prebuildify puts the target's binary, as node-gyp-build will look for it. */
function prebuildPath(target, base = root) {
  const tags = ['bz2-napi', ...(target.libc ? [target.libc] : [])].join('.');
  return join(base, 'prebuilds', `${target.platform}-${target.arch}`, `${tags}.node`);
}

module.exports = { TARGETS, prebuildPath };
