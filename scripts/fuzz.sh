#!/usr/bin/env bash
# Builds the libFuzzer targets in test/fuzz/ (linked straight against src/bzip2, src/parallel, src/codec and the
# vendored libbzip2, no Node) with clang -fsanitize=fuzzer,address,undefined, makes seed corpora from
# test/fixtures, and runs each target for a while. Debian: installs clang and its libFuzzer runtime
# with apt-get when they are missing.
#
#   bash scripts/fuzz.sh                        # every target, 30 s each
#   bash scripts/fuzz.sh --seconds 300 parallel
#   FUZZ_DIR=/tmp/f bash scripts/fuzz.sh        # build and corpora there (default: build-fuzz/)
#   bash scripts/fuzz.sh --build-only
#
# Reproduce a saved input:  build-fuzz/bin/<target> path/to/input   (e.g. test/fuzz/regressions/<target>/*)
# Exits non-zero on any crash, leak, timeout or out-of-memory, printing the artifact's path.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
FUZZ_DIR=${FUZZ_DIR:-$ROOT/build-fuzz}
ALL_TARGETS=(decompress compress parallel cutter codec pdecode)
SECONDS_EACH=30
BUILD_ONLY=
targets=()
while (($#)); do
  case $1 in
    --seconds) SECONDS_EACH=$2; shift 2 ;;
    --seconds=*) SECONDS_EACH=${1#*=}; shift ;;
    --build-only) BUILD_ONLY=1; shift ;;
    -h | --help) sed -n '2,12p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) targets+=("$1"); shift ;;
  esac
done
((${#targets[@]})) || targets=("${ALL_TARGETS[@]}")
for t in "${targets[@]}"; do
  [[ -f $ROOT/test/fuzz/${t}_fuzzer.cc ]] || { echo "fuzz: no target '$t' (have: ${ALL_TARGETS[*]})" >&2; exit 2; }
done
log() { printf '==> %s\n' "$*" >&2; }

# clang, and the package with its libFuzzer runtime (Debian splits it out as libclang-rt-N-dev).
have_fuzzer() {
  command -v clang++ >/dev/null && [[ -e $(clang++ -print-file-name=libclang_rt.fuzzer-x86_64.a 2>/dev/null) ||
    -e "$(clang++ --print-runtime-dir 2>/dev/null)/libclang_rt.fuzzer-x86_64.a" ]]
}
if ! have_fuzzer; then
  SUDO=; [[ $(id -u) -ne 0 ]] && SUDO=sudo
  log "installing clang and libFuzzer"
  $SUDO apt-get update -qq
  command -v clang++ >/dev/null || $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clang
  major=$(clang++ -dumpversion | cut -d. -f1)
  have_fuzzer || $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "libclang-rt-$major-dev" ||
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "libfuzzer-$major-dev"
  have_fuzzer || { echo "fuzz: clang has no libFuzzer runtime" >&2; exit 1; }
fi

# Build: objects are rebuilt when their source or a header is newer (headers are few; any newer one
# rebuilds everything, which is simpler than tracking dependencies).
SAN=(-fsanitize=address,undefined -fno-sanitize-recover=undefined -g -O1 -fno-omit-frame-pointer)
BZ=$ROOT/deps/bzip2-1.0.8
OBJ=$FUZZ_DIR/obj
BIN=$FUZZ_DIR/bin
mkdir -p "$OBJ" "$BIN"
newest_header=$(find "$ROOT/src/bzip2" "$ROOT/src/parallel" "$ROOT/src/codec" "$ROOT/test/fuzz" "$BZ" -name '*.h' -newer "$OBJ" 2>/dev/null | head -1 || true)
compile() { # compile SRC OBJ compiler flags...
  local src=$1 obj=$2; shift 2
  if [[ -n $newest_header || ! -e $obj || $src -nt $obj || ${BASH_SOURCE[0]} -nt $obj ]]; then
    "$@" -c "$src" -o "$obj"
  fi
}
start=$(date +%s)
log "building into $FUZZ_DIR"
objs=()
for f in blocksort bzlib compress crctable decompress huffman randtable; do
  compile "$BZ/$f.c" "$OBJ/bz_$f.o" clang "${SAN[@]}" -fsanitize=fuzzer-no-link -DBZ_NO_STDIO -w &
  objs+=("$OBJ/bz_$f.o")
  (($(jobs -r | wc -l) < 2)) || wait -n
done
CXX=(clang++ -std=c++17 "${SAN[@]}" -fsanitize=fuzzer-no-link -Wall -Wextra -DBZ_NO_STDIO -pthread
  -I"$ROOT/src" -I"$BZ")
for src in "$ROOT"/src/bzip2/*.cc "$ROOT"/src/parallel/*.cc "$ROOT"/src/codec/*.cc; do
  o=$OBJ/$(basename "$(dirname "$src")")_$(basename "${src%.cc}").o
  compile "$src" "$o" "${CXX[@]}" &
  objs+=("$o")
  (($(jobs -r | wc -l) < 2)) || wait -n
done
while (($(jobs -r | wc -l))); do wait -n; done
wait
for t in "${targets[@]}"; do
  compile "$ROOT/test/fuzz/${t}_fuzzer.cc" "$OBJ/${t}_fuzzer.o" "${CXX[@]}"
  clang++ "${SAN[@]}" -fsanitize=fuzzer -pthread "$OBJ/${t}_fuzzer.o" "${objs[@]}" -o "$BIN/$t"
done
touch "$OBJ"
log "built ${targets[*]} in $(($(date +%s) - start)) s"
[[ -z $BUILD_ONLY ]] || exit 0

SEEDS=$FUZZ_DIR/seeds
node "$ROOT/scripts/make-fuzz-seeds.js" "$SEEDS" >&2

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:allocator_may_return_null=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
failed=0
summary=()
for t in "${targets[@]}"; do
  corpus=$FUZZ_DIR/corpus/$t # grows across runs; the seeds are read-only input beside it
  artifacts=$FUZZ_DIR/artifacts/$t/
  # A target that make-fuzz-seeds.js has no seeds for starts from its corpus alone.
  mkdir -p "$corpus" "$artifacts" "$SEEDS/$t"
  # Every input that once failed (test/fuzz/regressions/<target>/) runs first, once each.
  regressions=("$ROOT/test/fuzz/regressions/$t"/*)
  if [[ -e ${regressions[0]:-} ]]; then
    log "$t: ${#regressions[@]} regression input(s)"
    if ! "$BIN/$t" "${regressions[@]}" >"$FUZZ_DIR/$t.regressions.log" 2>&1; then
      failed=1
      summary+=("fuzz: $t FAILED on a regression input, log: $FUZZ_DIR/$t.regressions.log")
      continue
    fi
  fi
  log "fuzzing $t for $SECONDS_EACH s"
  args=(-max_total_time="$SECONDS_EACH" -timeout=25 -rss_limit_mb=2048 -malloc_limit_mb=1024
    -print_final_stats=1 -artifact_prefix="$artifacts")
  # Parallel inputs may be tiled to ~600 kB, and its threads add up; keep inputs small elsewhere.
  [[ $t == decompress ]] && args+=(-max_len=65536)
  [[ $t == compress ]] && args+=(-max_len=16384)
  [[ $t == parallel || $t == cutter || $t == codec || $t == pdecode ]] && args+=(-max_len=8192)
  log_file=$FUZZ_DIR/$t.log
  rc=0
  "$BIN/$t" "${args[@]}" "$corpus" "$SEEDS/$t" >"$log_file" 2>&1 || rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log_file" | tail -1)
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log_file" | tail -1)
  cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+' "$log_file" | tail -1 || true)
  if ((rc != 0)); then
    failed=1
    artifact=$(grep -oE "Test unit written to [^ ]+" "$log_file" | tail -1 | sed 's/Test unit written to //' || true)
    grep -E 'ERROR|check failed|SUMMARY|==[0-9]+==' "$log_file" | head -20 >&2 || true
    summary+=("fuzz: $t FAILED (exit $rc) artifact: ${artifact:-none} log: $log_file")
  else
    summary+=("fuzz: $t ok (${execs:-?} execs, ${speed:-?}/s, ${cov:-no cov}) in ${SECONDS_EACH} s")
  fi
done
printf '%s\n' "${summary[@]}"
exit "$failed"
