#!/usr/bin/env bash
# Builds the addon and libbzip2 with ThreadSanitizer in a scratch copy of the repository and runs
# the suites that exercise its threads (the parallel pipeline, the async steps, streams, worker
# threads, the keep-alive) under it. Never touches the working tree.
#
#   scripts/tsan.sh                      # the default suites
#   scripts/tsan.sh test/async.test.ts   # these specs instead
#
# Node itself is not instrumented, so TSan cannot see its own synchronisation and reports races
# inside node and V8 (its platform's job workers, tracing, message ports). Those are counted and
# ignored. A report fails the run when our code made one of the two racing accesses: the first
# frame outside TSan's runtime is in bz2_napi.node (our code or libbzip2). Also fails if the
# build fails, mocha fails, or TSan itself dies.
set -euo pipefail
# shellcheck source=scripts/sanitizer-common.sh
source "$(dirname "${BASH_SOURCE[0]}")/sanitizer-common.sh"
LIBTSAN=$(runtime tsan)

SPECS=("$@")
if ((${#SPECS[@]} == 0)); then
  SPECS=(test/parallel-native.test.ts test/async.test.ts test/keep-alive.test.ts test/streams.test.ts
    test/workers.test.ts)
fi

log "copying $ROOT -> $SCRATCH/tsan"
copy_tree "$SCRATCH/tsan"
build_instrumented "$SCRATCH/tsan" "-fsanitize=thread -g -O1" "-fsanitize=thread" __tsan_

log "running mocha under TSan: ${SPECS[*]} (logs: $LOGS)"
rm -rf "$LOGS" && mkdir -p "$LOGS"
set +e
# exitcode=0: a child process with (ignored) node-internal reports must not fail its test; the
# logs are judged below. --no-config: serial, in this process.
(cd "$SCRATCH/tsan" && \
  BZ2_NAPI_SANITIZER=tsan LD_PRELOAD="$LIBTSAN" \
  TSAN_OPTIONS="log_path=$LOGS/tsan:exitcode=0:halt_on_error=0:report_signal_unsafe=0:history_size=4" \
  node --expose-gc node_modules/mocha/bin/mocha.js --no-config --require tsx/cjs --timeout 600000 \
    --reporter ./test/helpers/reporter.js "${SPECS[@]}" | tee "$SCRATCH/mocha.log")
mocha_rc=$?
set -e

fail=0
mocha_verdict "$mocha_rc" "$SCRATCH/mocha.log" || fail=1
node "$ROOT/scripts/scan-tsan.js" "$LOGS" || fail=1

if ((fail)); then KEEP=1; echo "TSAN: FAILED" >&2; exit 1; fi
echo "TSAN: OK" >&2
