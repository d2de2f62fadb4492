#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Writes screenshots of the main window to BUILD/screenshots/ (default build/) on a virtual X
# server, with the xcb platform (fonts and style as on a desktop), not the offscreen one.
# Usage: tests/tools/screenshots.sh [BUILD_DIR]
set -eu
build=${1:-build}
out="$build/screenshots"
mkdir -p "$out"
TROVE_SCREENSHOTS=$(cd "$out" && pwd) QT_QPA_PLATFORM=xcb \
    xvfb-run -a -s "-screen 0 1280x800x24" "$build/tests/ui/tst_mainwindow" screenshot
echo "screenshots in $out"
