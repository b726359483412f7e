#!/usr/bin/env bash
# Builds the addon with AddressSanitizer + UndefinedBehaviorSanitizer in a scratch copy of the
# repository and runs the mocha suite against it, with LeakSanitizer on. Never touches the working
# tree (only reads it). Debian/Ubuntu: installs g++, make, python3 (and valgrind) via apt-get when
# they are missing.
#
#   scripts/sanitize.sh                      # whole suite
#   scripts/sanitize.sh test/native.test.ts  # extra arguments go to mocha (specs are added to .mocharc's)
#   scripts/sanitize.sh --only test/x.test.ts  # only these specs (serial, without .mocharc's)
#   SANITIZE_DEFINES=-DX scripts/sanitize.sh  # extra compiler flags (scripts/alloc-failure.sh)
#   VALGRIND=1 scripts/sanitize.sh           # also: plain build + valgrind on native/errors tests
#   KEEP=1 SCRATCH=/tmp/x scripts/sanitize.sh
#
# Fails if: the build fails, mocha fails, any ASan/UBSan error is reported in any process, or a
# leak report has a frame in the addon (bz2_napi.node, bz2napi::, libbzip2's BZ2_*). Leaks that
# only involve node/V8 internals (node leaks at exit by design) are ignored.
set -euo pipefail

# shellcheck source=scripts/sanitizer-common.sh
source "$(dirname "${BASH_SOURCE[0]}")/sanitizer-common.sh"
LIBASAN=$(runtime asan)
LIBUBSAN=$(runtime ubsan)

log "copying $ROOT -> $SCRATCH/asan"
copy_tree "$SCRATCH/asan"
SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined -g"
build_instrumented "$SCRATCH/asan" "$SAN ${SANITIZE_DEFINES:-}" \
  "-fsanitize=address,undefined ${SANITIZE_LDFLAGS:-}" __asan_

mocha=(npx --no-install mocha "$@")
if [[ ${1:-} == --only ]]; then
  shift
  mocha=(node --expose-gc node_modules/mocha/bin/mocha.js --no-config --require tsx/cjs
    --timeout 600000 --reporter ./test/helpers/reporter.js "$@")
fi

log "running mocha under ASan+UBSan+LSan (logs: $LOGS)"
rm -rf "$LOGS" && mkdir -p "$LOGS"
set +e
(cd "$SCRATCH/asan" && \
  BZ2_NAPI_SANITIZER=asan LD_PRELOAD="$LIBASAN:$LIBUBSAN" \
  ASAN_OPTIONS="detect_leaks=1:log_path=$LOGS/asan:halt_on_error=1:detect_stack_use_after_return=0" \
  LSAN_OPTIONS="exitcode=0:fast_unwind_on_malloc=0:malloc_context_size=40" \
  UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:log_path=$LOGS/ubsan" \
  "${mocha[@]}" | tee "$SCRATCH/mocha.log")
mocha_rc=$?
set -e

fail=0
mocha_verdict "$mocha_rc" "$SCRATCH/mocha.log" || fail=1
shopt -s nullglob
for f in "$LOGS"/*; do
  if grep -q -E 'ERROR: AddressSanitizer|runtime error:|LeakSanitizer has encountered a fatal error' "$f"; then
    echo "sanitizer error in $f:" >&2; head -60 "$f" >&2; fail=1
  fi
  # Print each leak record that has one of our frames in it. Not counted: output handed to JS
  # (ToJsBuffer: owned by Buffers in V8's heap, which LSan cannot scan and node does not free at
  # exit) and node's own bookkeeping for wrapped objects and classes (napi_wrap,
  # napi_define_class), and the 8-byte handle napi_create_promise keeps for a promise still
  # pending when a worker is terminated (it cannot be settled during teardown), and V8's own heap
  # bookkeeping (allocated inside v8::internal, e.g. a remembered-set slot that the write barrier
  # adds while our code creates an Error; node never tears the heap down), and the system
  # bzip2's (libbz2.so: the command-line tests run /usr/bin/bzip2 beside ours, and it exits
  # without freeing after an error; our libbzip2 is linked into the addon). Leaks of libbzip2
  # state, inputs or workers still count.
  ours='/(Direct|Indirect) leak/ && /bz2_napi\.node|bz2napi::|BZ2_|CountingAllocator/ && !/ToJsBuffer|napi_wrap|napi_define_class|napi_create_promise/ && !/#1 0x[0-9a-f]+ in v8::internal::/ && !/libbz2\.so/'
  if awk -v RS= "$ours" "$f" | grep -q .; then
    echo "leak involving the addon in $f:" >&2
    awk -v RS= -v ORS='\n\n' "$ours" "$f" >&2
    fail=1
  fi
done
ignored=$(cat "$LOGS"/asan.* 2>/dev/null | grep -c 'leak of' || true)
log "sanitizer logs: $(ls "$LOGS" | wc -l) file(s); $ignored leak record(s) in node/child-process internals ignored"

if [[ -n "${VALGRIND:-}" ]]; then
  log "plain build + valgrind (native + compressor.errors tests)"
  copy_tree "$SCRATCH/plain"
  (cd "$SCRATCH/plain" && CFLAGS=-g CXXFLAGS=-g npx --no-install node-gyp rebuild >"$SCRATCH/build-plain.log" 2>&1) \
    || { tail -40 "$SCRATCH/build-plain.log"; exit 1; }
  # --no-config: run in-process (.mocharc's node-option would make mocha spawn a child).
  set +e
  (cd "$SCRATCH/plain" && valgrind --error-exitcode=99 --leak-check=full --show-leak-kinds=definite \
    --errors-for-leak-kinds=definite --num-callers=40 --log-file="$SCRATCH/valgrind.log" \
    node --expose-gc node_modules/mocha/bin/mocha.js --no-config --require tsx/cjs --timeout 0 \
    test/native.test.ts test/compressor.errors.test.ts)
  vg_rc=$?
  set -e
  grep -E 'ERROR SUMMARY|definitely lost' "$SCRATCH/valgrind.log" >&2 || true
  if ((vg_rc != 0)); then echo "valgrind run failed (rc=$vg_rc), see $SCRATCH/valgrind.log" >&2; fail=1; fi
fi

if ((fail)); then KEEP=1; echo "SANITIZE: FAILED" >&2; exit 1; fi
echo "SANITIZE: OK" >&2
