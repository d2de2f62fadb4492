#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs a GUI test on a real X display (Xvfb) with a system tray host (trayer), so that
# QSystemTrayIcon docks; TROVE_EXPECT_TRAY=1 makes the test fail rather than skip without one.
#   tray-xvfb.sh TEST_BINARY [ARGS...]
set -euo pipefail
command -v trayer >/dev/null || { echo "FAIL: trayer is not installed (packaging/install-deps.sh)" >&2; exit 1; }
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$(mktemp -d)}"
exec xvfb-run -a -s "-screen 0 1280x800x24" bash -c '
    trayer --SetDockType true --height 32 --widthtype request >/dev/null 2>&1 &
    tray=$!
    trap "kill $tray 2>/dev/null || true" EXIT
    QT_QPA_PLATFORM=xcb TROVE_EXPECT_TRAY=1 "$@"
' bash "$@"
