#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds the model and server unit tests with AddressSanitizer + UndefinedBehaviorSanitizer (g++,
# ccache) into build-asan/ and runs them. Fails on a failing test or any sanitizer report.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="$root/build-asan"
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$(dirname "$root")}" CCACHE_NOHASHDIR="${CCACHE_NOHASHDIR:-true}"

sanitize="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
mkdir -p "$build"
if [[ ! -f "$build/CMakeCache.txt" ]]; then
    cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DCMAKE_CXX_FLAGS="$sanitize" -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" \
        >"$build/configure.log" 2>&1 || { cat "$build/configure.log"; exit 1; }
fi
# Only the tests of model/ and server/: ui/ and the end-to-end tests would double the build for
# code that handles no untrusted bytes.
mapfile -t tests < <(sed -n 's/^trove_add_test(\(tst_[a-z0-9_]*\).*/\1/p' \
    "$root/tests/model/CMakeLists.txt" "$root/tests/server/CMakeLists.txt")
cmake --build "$build" -j2 --target "${tests[@]}" >"$build/build.log" 2>&1 \
    || { tail -n 60 "$build/build.log"; exit 1; }

# halt_on_error: a UBSan report fails the test that caused it. quarantine_size_mb: ASan keeps
# 256 MB of freed memory resident by default, which the tests that bound VmRSS (a streamed
# publish body) would count as growth.
export ASAN_OPTIONS="detect_leaks=1:quarantine_size_mb=8:thread_local_quarantine_size_kb=64"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export LSAN_OPTIONS="suppressions=$root/tests/fuzz/lsan.supp"
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$(mktemp -d)}"
pattern="^($(IFS='|'; echo "${tests[*]}"))\$"
# The log keeps the sanitizers' reports; the summary says which test failed.
if ctest --test-dir "$build" -R "$pattern" -j2 --timeout 900 --output-on-failure \
    >"$build/ctest.log" 2>&1; then
    echo "sanitized unit tests: ${#tests[@]} passed (log $build/ctest.log)"
else
    grep -E 'ERROR: |runtime error:|FAIL!|\*\*\*Failed|Timeout' "$build/ctest.log" | head -n 60 || true
    echo "sanitized unit tests FAILED (log $build/ctest.log)"
    exit 1
fi
