# Shared by scripts/sanitize.sh (ASan + UBSan + LSan) and scripts/tsan.sh (ThreadSanitizer):
# the scratch directory, the tools they need, gcc's sanitizer runtimes and the copy of the tree
# each builds in. Sourced, never run.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SCRATCH=${SCRATCH:-$(mktemp -d /tmp/bz2-sanitize.XXXXXX)}
LOGS="$SCRATCH/sanitizer-logs"
log() { printf '\n==> %s\n' "$*" >&2; }

cleanup() {
  local rc=$?
  if [[ -z "${KEEP:-}" && $rc -eq 0 ]]; then rm -rf "$SCRATCH"; else echo "scratch kept: $SCRATCH" >&2; fi
}
trap cleanup EXIT

need_pkgs=()
command -v g++ >/dev/null || need_pkgs+=(g++)
command -v make >/dev/null || need_pkgs+=(make)
command -v python3 >/dev/null || need_pkgs+=(python3)
[[ -n "${VALGRIND:-}" ]] && ! command -v valgrind >/dev/null && need_pkgs+=(valgrind)
if ((${#need_pkgs[@]})); then
  log "installing ${need_pkgs[*]}"
  SUDO=; [[ $(id -u) -ne 0 ]] && SUDO=sudo
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq "${need_pkgs[@]}"
fi

# runtime NAME: the path of gcc's libNAME.so (asan, ubsan, tsan), installed if missing.
runtime() {
  local path
  path=$(gcc -print-file-name="lib$1.so")
  if [[ ! -e "$path" ]]; then
    log "gcc's $1 runtime is missing; installing"
    SUDO=; [[ $(id -u) -ne 0 ]] && SUDO=sudo
    $SUDO apt-get update -qq >&2 && $SUDO apt-get install -y -qq "libgcc-$(gcc -dumpversion | cut -d. -f1)-dev" >&2
    path=$(gcc -print-file-name="lib$1.so")
  fi
  echo "$path"
}

# copy_tree DEST: tracked + untracked-but-not-ignored files (so no build/, dist/, node_modules/),
# node_modules linked, and dist/ compiled afresh.
copy_tree() {
  mkdir -p "$1"
  if git -C "$ROOT" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    (cd "$ROOT" && git ls-files -z -co --exclude-standard | tar --null -cf - -T -) | tar -xf - -C "$1"
  else
    tar -C "$ROOT" --exclude=./build --exclude=./node_modules --exclude=./dist -cf - . | tar -xf - -C "$1"
  fi
  if [[ -d "$ROOT/node_modules" ]]; then
    ln -sfn "$ROOT/node_modules" "$1/node_modules"
  else
    (cd "$1" && npm ci --ignore-scripts)
  fi
  # dist/ (the compiled lib/): what the command-line tests run.
  (cd "$1" && npx --no-install tsc -p tsconfig.build.json)
}

# build_instrumented DIR FLAGS LDFLAGS: the addon and libbzip2 rebuilt in DIR with FLAGS (read by
# node-gyp's Makefile at make time); fails unless the result carries the sanitizer's symbols.
build_instrumented() {
  log "building with $2"
  (cd "$1" && CFLAGS="$2" CXXFLAGS="$2" LDFLAGS="$3" \
    npx --no-install node-gyp rebuild >"$1/build-sanitizer.log" 2>&1) || { tail -40 "$1/build-sanitizer.log"; exit 1; }
  # (no grep -q: with pipefail, nm would die of SIGPIPE)
  nm -D "$1/build/Release/bz2_napi.node" | grep "$4" >/dev/null || { echo "addon is not instrumented" >&2; exit 1; }
}

# mocha_verdict RC LOG: 0 when mocha exited 0 and its reporter's last line is a clean run. The
# sanitizers run with exitcode=0 (ignored reports in a test's child process must not fail it),
# which also hides the exit code of a process whose sanitizer crashed: the last line tells.
mocha_verdict() {
  local ok=0
  if (($1 != 0)); then echo "mocha failed (rc=$1)" >&2; ok=1; fi
  if ! tail -1 "$2" | grep -E -q '^[1-9][0-9]* passed, 0 failed$'; then
    echo "mocha did not report a clean run: $(tail -1 "$2")" >&2; ok=1
  fi
  return $ok
}
