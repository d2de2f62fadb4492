#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Writes screenshots of each view and dialog to BUILD/screenshots/ (default build/) on a virtual
# X server, with the xcb platform (fonts and style as on a desktop), not the offscreen one; once
# at the normal scale and once at 2x for the main window.
# Usage: tests/tools/screenshots.sh [BUILD_DIR]
set -eu
build=${1:-build}
out="$build/screenshots"
mkdir -p "$out"
dir=$(cd "$out" && pwd)
# Bounded: a dialog waiting for an answer nobody gives must not hold up the run that calls this.
TROVE_SCREENSHOTS=$dir QT_QPA_PLATFORM=xcb \
    timeout 600 xvfb-run -a -s "-screen 0 1400x900x24" "$build/tests/ui/tst_screenshots"
mkdir -p "$dir/2x"
TROVE_SCREENSHOTS=$dir/2x QT_QPA_PLATFORM=xcb QT_SCALE_FACTOR=2 \
    timeout 300 xvfb-run -a -s "-screen 0 2800x1800x24" "$build/tests/ui/tst_screenshots" mainWindow

# The window on a shared store and its dialog (tests/ui/tst_sharedstore.cpp) need a PostgreSQL
# cluster: a throwaway one in the build folder (tests/pg/cluster.sh), skipped where PostgreSQL or
# the test is missing.
pg="$(dirname "$0")/../pg/cluster.sh"
if [ -x "$build/tests/pg/tst_sharedstore" ] && "$pg" start "$build/screenshots-cluster" >/dev/null; then
    TROVE_SCREENSHOTS=$dir QT_QPA_PLATFORM=xcb timeout 300 xvfb-run -a -s "-screen 0 1400x900x24" \
        "$pg" run "$build/screenshots-cluster" -- "$build/tests/pg/tst_sharedstore" screenshots ||
        status=$?
    "$pg" stop "$build/screenshots-cluster"
    [ "${status:-0}" -eq 0 ] || exit "$status"
fi
echo "screenshots in $out"
