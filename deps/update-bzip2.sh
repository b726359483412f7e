#!/usr/bin/env bash
# Re-obtains the pristine libbzip2 1.0.8 sources from Debian's source package for bzip2 (the
# upstream tarball bzip2_1.0.8.orig.tar.gz), checks the tarball's sha256, copies the files we use
# into deps/bzip2-1.0.8/ and rewrites deps/bzip2-1.0.8.sha256, which test/vendored.test.ts checks.
# Needs root (apt-get) on a Debian bookworm machine. Maintainer tool: never run by install or CI.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
dest="$here/bzip2-1.0.8"
want_sha=ab5a03176ee106d3f0fa90e381da478ddae405918153cca248e682cd0c4a2269
files=(blocksort.c bzlib.c compress.c crctable.c decompress.c huffman.c randtable.c
  bzlib.h bzlib_private.h LICENSE
  sample1.ref sample2.ref sample3.ref sample1.bz2 sample2.bz2 sample3.bz2)

work=$(mktemp -d)
srclist=/etc/apt/sources.list.d/bz2-napi-src.list
cleanup() { rm -rf "$work"; rm -f "$srclist"; }
trap cleanup EXIT

# A temporary deb-src entry only for this download; signed by Debian's archive key.
echo 'deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm main' >"$srclist"
apt-get update -qq
(cd "$work" && apt-get source --download-only bzip2 >/dev/null)

tarball="$work/bzip2_1.0.8.orig.tar.gz"
got_sha=$(sha256sum "$tarball" | cut -d' ' -f1)
if [ "$got_sha" != "$want_sha" ]; then
  echo "sha256 mismatch for $tarball: got $got_sha, want $want_sha" >&2
  exit 1
fi

tar -xzf "$tarball" -C "$work"
rm -rf "$dest"
mkdir -p "$dest"
for f in "${files[@]}"; do
  cp "$work/bzip2-1.0.8/$f" "$dest/$f"
done
(cd "$dest" && sha256sum "${files[@]}") >"$here/bzip2-1.0.8.sha256"
echo "deps/bzip2-1.0.8 refreshed from $(basename "$tarball") ($got_sha)"
