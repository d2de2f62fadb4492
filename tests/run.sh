#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs what is missing, builds, checks the format and runs every test through ctest.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

"$root/packaging/install-deps.sh"

echo "== clang-format"
mapfile -t sources < <(git ls-files '*.cpp' '*.h' 2>/dev/null || true)
if ((${#sources[@]} > 0)); then
    clang-format --dry-run -Werror "${sources[@]}"
fi

echo "== npm clients for the end-to-end tests"
# npm 10 and 11, yarn classic, yarn berry and pnpm, pinned by tests/e2e/package-lock.json.
# Reinstalled only when the lockfile changed since the last install.
e2e="$root/tests/e2e"
if ! cmp -s "$e2e/package-lock.json" "$e2e/node_modules/.package-lock.json.installed" 2>/dev/null; then
    (cd "$e2e" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error)
    cp "$e2e/package-lock.json" "$e2e/node_modules/.package-lock.json.installed"
fi

echo "== build"
"$root/packaging/build.sh"

# The tests' data folders (QTemporaryDir, mktemp) on tmpfs where there is one: a real file system,
# SQLite's WAL and every fsync call included, without waiting for the disk. Thousands of synced
# commits were most of the model tests' time on a shared disk (tst_accesspolicy: 85 s on disk,
# 12 s on tmpfs). PostgreSQL's throwaway cluster stays in /tmp (tests/pg/cluster.sh).
if [[ -z "${TMPDIR:-}" && -d /dev/shm && -w /dev/shm ]]; then
    TMPDIR="$(mktemp -d /dev/shm/trove-tests.XXXXXX)"
    export TMPDIR
    trap 'rm -rf "$TMPDIR"' EXIT
fi

echo "== fuzzing"
# libFuzzer + ASan/UBSan, 20 s per target (tests/fuzz/README.md); a finding stops the run here.
"$root/tests/fuzz/run.sh"

echo "== sanitized unit tests"
# The model and server tests built with ASan/UBSan into build-asan/; a failure stops the run here.
"$root/tests/fuzz/sanitized-tests.sh"

echo "== tests"
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$(mktemp -d)}"
cd build
ctest --output-on-failure -j2 --timeout 900

echo "== screenshots"
# The window under Xvfb, into build/screenshots/ (evidence, not a test: never fails the run).
cd "$root"
# Its output goes to a log so that ctest's summary stays the last word of the run.
if tests/tools/screenshots.sh build > build/screenshots.log 2>&1; then
    echo "screenshots in build/screenshots/"
else
    echo "screenshots could not be taken (see build/screenshots.log)"
fi
