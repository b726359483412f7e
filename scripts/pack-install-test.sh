#!/usr/bin/env bash
# Packs the package as npm would publish it, then installs the tarball into an empty project
# with no compiler, make or python on PATH, and checks that require, import and the TypeScript
# types and the bz2-napi executable (through npx) all work and give bzip2's bytes. Proves that the
# tarball carries the five prebuilds (npm pack's prepack builds them: npm run prebuild:all) and
# that the linux-x64 glibc one is what loads.
# Prints `pack-install: ok` on success; exits non-zero on any failure.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cd "$root"
npm pack --pack-destination "$work" >"$work/pack.log" 2>&1 || { cat "$work/pack.log"; exit 1; }
tarball=$(ls "$work"/bz2-napi-*.tgz)

contents=$(tar -tzf "$tarball")
for want in package/prebuilds/linux-x64/bz2-napi.glibc.node package/prebuilds/linux-x64/bz2-napi.musl.node \
  package/prebuilds/linux-arm64/bz2-napi.glibc.node package/prebuilds/linux-arm64/bz2-napi.musl.node \
  package/prebuilds/win32-x64/bz2-napi.node package/dist/index.js package/dist/index.mjs \
  package/dist/index.d.ts package/dist/index.d.mts package/dist/cli/main.js package/binding.gyp package/deps/bzip2.gyp \
  package/deps/bzip2-1.0.8/bzlib.c package/deps/bzip2-1.0.8/LICENSE package/src/compressor.cc; do
  grep -qx "$want" <<<"$contents" || { echo "missing from tarball: $want"; exit 1; }
done
for unwanted in package/build/ package/test/ package/node_modules/ package/deps/bzip2-1.0.8/sample1.bz2; do
  if grep -q "^$unwanted" <<<"$contents"; then echo "should not be in tarball: $unwanted"; exit 1; fi
done

# A PATH with node, npm and a shell only: no cc, c++, g++, make or python3.
bin="$work/bin"
mkdir -p "$bin"
ln -s "$(command -v node)" "$bin/node"
ln -s "$(command -v npm)" "$bin/npm"
ln -s "$(command -v npx)" "$bin/npx"
ln -s "$(command -v sh)" "$bin/sh"
for tool in cc c++ gcc g++ make python3; do
  if PATH="$bin" command -v "$tool" >/dev/null 2>&1; then echo "$tool is still on PATH"; exit 1; fi
done

app="$work/app"
mkdir -p "$app"
cd "$app"
echo '{"name":"app","version":"1.0.0","private":true}' >package.json
PATH="$bin" npm install --no-audit --no-fund "$tarball" >"$work/install.log" 2>&1 ||
  { cat "$work/install.log"; exit 1; }
if [ -e node_modules/bz2-napi/build ]; then echo "install compiled the addon instead of using the prebuild"; exit 1; fi
loaded=$(PATH="$bin" node -p "require('node-gyp-build').resolve('node_modules/bz2-napi')")
case "$loaded" in
*/prebuilds/linux-x64/bz2-napi.glibc.node) ;;
*) echo "node-gyp-build chose $loaded, not the linux-x64 glibc prebuild"; exit 1 ;;
esac

expected=$(printf 'hello bzip2' | python3 -c 'import bz2,sys; sys.stdout.write(bz2.compress(sys.stdin.buffer.read(), 9).hex())')
cat >check.cjs <<'JS'
const { BZ2Compressor, bzlibVersion } = require('bz2-napi');
const c = new BZ2Compressor(9);
process.stdout.write(Buffer.concat([c.compress('hello bzip2'), c.flush()]).toString('hex'));
if (!bzlibVersion.startsWith('1.0.8')) process.exit(1);
JS
cat >check.mjs <<'JS'
import { BZ2Compressor } from 'bz2-napi';
import { createRequire } from 'node:module';
const c = new BZ2Compressor(9);
process.stdout.write(Buffer.concat([c.compress('hello bzip2'), c.flush()]).toString('hex'));
if (createRequire(import.meta.url)('bz2-napi').BZ2Compressor !== BZ2Compressor) process.exit(1);
JS
[ "$(PATH="$bin" node check.cjs)" = "$expected" ] || { echo "require: wrong output"; exit 1; }
[ "$(PATH="$bin" node check.mjs)" = "$expected" ] || { echo "import: wrong output"; exit 1; }

# The command line (package.json bin), as a user runs it: npx, stdin to stdout, both ways.
[ -x node_modules/.bin/bz2-napi ] || { echo "no node_modules/.bin/bz2-napi"; exit 1; }
made=$(printf 'hello bzip2' | PATH="$bin" npx --no-install bz2-napi -9 | od -An -v -tx1 | tr -d ' \n')
[ "$made" = "$expected" ] || { echo "npx bz2-napi -9: wrong output"; exit 1; }
back=$(printf 'hello bzip2' | PATH="$bin" npx --no-install bz2-napi | PATH="$bin" npx --no-install bz2-napi -d)
[ "$back" = "hello bzip2" ] || { echo "npx bz2-napi -d: wrong output"; exit 1; }

# Types, through both conditions of the exports map.
cat >check.cts <<'TS'
import { BZ2Compressor, type BZ2Input } from 'bz2-napi';
const input: BZ2Input = new Uint8Array(3);
const out: Buffer = new BZ2Compressor(1).compress(input);
// @ts-expect-error a number is not input
new BZ2Compressor().compress(3);
export { out };
TS
sed 's/^export { out };$/export { out as outEsm };/' check.cts >check.mts
cat >tsconfig.json <<'JSON'
{ "compilerOptions": { "module": "nodenext", "strict": true, "noEmit": true, "types": ["node"],
  "typeRoots": ["ROOT/node_modules/@types"], "skipLibCheck": false }, "files": ["check.cts", "check.mts"] }
JSON
sed -i "s|ROOT|$root|" tsconfig.json
"$root/node_modules/.bin/tsc" -p tsconfig.json || { echo "types failed"; exit 1; }

echo "pack-install: ok"
