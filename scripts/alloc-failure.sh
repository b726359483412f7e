#!/usr/bin/env bash
# The allocation-failure sweep (test/alloc-failure.test.ts): the addon built with
# BZ2_NAPI_ALLOC_FAILURE (src/bzip2/alloc_failure.h: its every allocation can be made to fail)
# and ASan + UBSan + LSan, so that a failure path that crashes, corrupts or leaks is caught.
# -Bsymbolic makes the addon's calls bind to its own operator new, whatever node exports.
set -euo pipefail
SANITIZE_DEFINES=-DBZ2_NAPI_ALLOC_FAILURE SANITIZE_LDFLAGS=-Wl,-Bsymbolic \
  exec bash "$(dirname "${BASH_SOURCE[0]}")/sanitize.sh" --only test/alloc-failure.test.ts "$@"
