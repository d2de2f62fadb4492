#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds the libFuzzer harnesses (clang, ASan + UBSan) into build-fuzz/ and runs each one for
# SECONDS (default 20) on a working copy of its seed corpus. Fails on any crash, leak, timeout,
# out-of-memory or sanitizer report; the input that caused it is kept in build-fuzz/findings/.
#   tests/fuzz/run.sh                  # the short run that tests/run.sh does
#   tests/fuzz/run.sh 3600             # the long run, an hour per target
#   tests/fuzz/run.sh 600 fuzz_tarball # some targets only
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
seconds="${1:-20}"
shift || true
build="$root/build-fuzz"

# As packaging/build.sh: one ccache for every checkout.
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$(dirname "$root")}" CCACHE_NOHASHDIR="${CCACHE_NOHASHDIR:-true}"
# Configured every time: a harness joins the build as soon as its target's source exists.
mkdir -p "$build"
cmake -S "$root/tests/fuzz" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_COMPILER=clang++ -DTROVE_FUZZ=ON >"$build/configure.log" 2>&1 \
    || { cat "$build/configure.log"; exit 1; }
cmake --build "$build" -j2 >"$build/build.log" 2>&1 || { tail -n 60 "$build/build.log"; exit 1; }

mapfile -t built < <(grep -v '^$' "$build/fuzzers.txt")
if (($# > 0)); then
    targets=("$@")
else
    targets=(fuzz_semver fuzz_npmroute fuzz_tarball fuzz_publishbody fuzz_httpparser)
fi

symbolizer="$(command -v llvm-symbolizer-14 || command -v llvm-symbolizer || true)"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:symbolize=1${symbolizer:+:external_symbolizer_path=$symbolizer}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export LSAN_OPTIONS="suppressions=$root/tests/fuzz/lsan.supp"

# Inputs larger than the harnesses' limits buy nothing but slower runs.
declare -A maxLen=([fuzz_semver]=4096 [fuzz_npmroute]=1024 [fuzz_tarball]=8192
    [fuzz_publishbody]=4096 [fuzz_httpparser]=4096)

failed=0
for target in "${targets[@]}"; do
    if [[ ! " ${built[*]} " == *" $target "* ]]; then
        echo "$target: not built (the code it fuzzes does not exist yet)"
        continue
    fi
    name="${target#fuzz_}"
    # The repository's seeds are copied, never given to libFuzzer: it writes into its corpus.
    corpus="$build/corpus/$name"
    findings="$build/findings/$name"
    log="$build/logs/$name.log"
    mkdir -p "$corpus" "$findings" "$build/logs"
    cp -rn "$root/tests/fuzz/corpus/$name/." "$corpus/"
    dict=()
    [[ -f "$root/tests/fuzz/dict/$name.dict" ]] && dict=(-dict="$root/tests/fuzz/dict/$name.dict")
    status=0
    "$build/$target" "$corpus" "${dict[@]}" \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -max_len="${maxLen[$target]:-4096}" \
        -artifact_prefix="$findings/" -print_final_stats=1 >"$log" 2>&1 || status=$?
    execs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)"
    cov="$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2 || true)"
    # A sanitizer report that let the process go on still fails the run.
    if ((status == 0)) && grep -qE 'runtime error:|ERROR: (Address|Leak|Undefined)Sanitizer' "$log"; then
        status=1
    fi
    if ((status == 0)); then
        echo "$target: ok, ${execs:-?} execs in ${seconds} s, coverage ${cov:-?}, corpus $(find "$corpus" -type f | wc -l) inputs"
    else
        failed=1
        echo "$target: FAILED (exit $status) after ${execs:-?} execs; log $log"
        grep -E -A 30 'ERROR: |runtime error:|deadly signal|Test unit written' "$log" | head -n 60 || tail -n 40 "$log"
        echo "  reproduce: $build/$target <input from $findings/>"
    fi
done
exit "$failed"
