#!/usr/bin/env bash
# Installs the benchmark's command-line peers (bzip2, lbzip2, pbzip2) from Debian when any is
# missing. Exits 0 when all three are on PATH afterwards and 1 otherwise, so the benchmark can
# skip the missing rows instead of failing. Everything it prints goes to stderr: the benchmark's
# stdout is the Markdown report.
set -uo pipefail
exec 1>&2

missing=()
for tool in bzip2 lbzip2 pbzip2; do
  # Debian's package names equal the command names for these three.
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
[ "${#missing[@]}" -eq 0 ] && exit 0

say() { echo "install-peers: $*"; }

if ! command -v apt-get >/dev/null 2>&1; then
  say "no apt-get on this machine; cannot install ${missing[*]}"
  exit 1
fi

# Root installs directly; anyone else only through a sudo that needs no password (-n), because
# the benchmark must never stop to ask.
if [ "$(id -u)" -eq 0 ]; then
  as_root() { "$@"; }
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  as_root() { sudo -n "$@"; }
else
  say "not root and no password-less sudo; cannot install ${missing[*]}"
  exit 1
fi

say "installing ${missing[*]} with apt-get"
# A fresh machine's package lists may be empty or stale, so update before installing.
if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq; then
  say "apt-get update failed (no network?)"
  exit 1
fi
if ! as_root env DEBIAN_FRONTEND=noninteractive \
  apt-get install -y -qq --no-install-recommends "${missing[@]}"; then
  say "apt-get install ${missing[*]} failed"
  exit 1
fi

for tool in "${missing[@]}"; do
  command -v "$tool" >/dev/null 2>&1 || { say "$tool still missing after install"; exit 1; }
done
