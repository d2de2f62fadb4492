#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs the .deb that deb-lint.sh built and runs what it installed:
#  1. unpacked into a throwaway root (dpkg-deb -x): the installed `trove serve` answers the npm
#     ping on a free loopback port and stops on SIGTERM; the installed window comes up under Xvfb
#     with its registry, and stays up; with a tray host, `trove --hidden` shows only its icon;
#  2. as root on a throwaway machine (CI=true, or TROVE_TEST_INSTALL=1), really installed with
#     dpkg: the maintainer scripts create the system user trove and /var/lib/trove, leave the unit
#     disabled, the service's command line serves as that user, removing keeps the data and
#     purging deletes it.
#   deb-install.sh BUILD_DIR
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="$1"
shopt -s nullglob
debs=("$build"/trove_*_amd64.deb)
((${#debs[@]} == 1)) || { echo "FAIL: expected one trove_*.deb in $build, found ${#debs[@]}" >&2; exit 1; }
deb="${debs[0]}"
version="$(sed -n 's/^project(Trove VERSION \([0-9.]*\).*/\1/p' "$root/CMakeLists.txt")"

work="$(mktemp -d)"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT
failures=0
fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

# Waits up to 20 s for "Listening on http://127.0.0.1:PORT/" in FILE; prints PORT.
port_from() {
    local file="$1" pid="$2"
    for _ in $(seq 200); do
        local port
        port="$(sed -n 's#^Listening on http://127\.0\.0\.1:\([0-9]*\)/$#\1#p' "$file" | head -n 1)"
        if [[ -n "$port" ]]; then
            echo "$port"
            return 0
        fi
        kill -0 "$pid" 2>/dev/null || return 1
        sleep 0.1
    done
    return 1
}
ping_ok() {
    [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://127.0.0.1:$1/api/v4/packages/npm/-/ping")" == 200 ]]
}

# Nothing of the user's: settings, data and runtime files under the work folder.
export HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" XDG_DATA_HOME="$work/home/.local/share"
export XDG_RUNTIME_DIR="$work/runtime"
mkdir -p "$HOME" "$XDG_RUNTIME_DIR"
chmod 0700 "$XDG_RUNTIME_DIR"

echo "== unpacked into a throwaway root"
dest="$work/root"
dpkg-deb -x "$deb" "$dest"
trove="$dest/usr/bin/trove"
[[ "$("$trove" --version)" == "trove $version" ]] || fail "trove --version says $("$trove" --version), not trove $version"

"$trove" serve --listen 127.0.0.1:0 --data "$work/serve-data" >"$work/serve.out" 2>"$work/serve.err" &
serve=$!
pids+=("$serve")
if port="$(port_from "$work/serve.out" "$serve")"; then
    ping_ok "$port" || fail "the installed trove serve does not answer the ping on port $port"
    [[ -f "$work/serve-data/trove.sqlite" ]] || fail "trove serve made no trove.sqlite"
    kill -TERM "$serve"
    code=0
    wait "$serve" || code=$?
    ((code == 0)) || fail "trove serve exited $code on SIGTERM"
else
    fail "the installed trove serve never listened: $(cat "$work/serve.err")"
fi

echo "== the installed window under Xvfb"
# A real X server (not the offscreen platform): the window has to map on a display.
xvfb-run -a -s "-screen 0 1280x800x24" bash -c '
    "$1" --data "$2/desktop-data" --listen 127.0.0.1:0 >"$2/desktop.out" 2>"$2/desktop.err" &
    pid=$!
    for _ in $(seq 200); do
        grep -q "^Listening on" "$2/desktop.out" && break
        sleep 0.1
    done
    sleep 3
    if ! kill -0 "$pid" 2>/dev/null; then
        echo "FAIL: the window did not stay up: $(cat "$2/desktop.err")" >&2
        exit 1
    fi
    xwininfo -root -tree >"$2/windows.txt"
    kill -TERM "$pid"
    wait "$pid" || true
' bash "$trove" "$work" || fail "the installed window"
desktop_port="$(sed -n 's#^Listening on http://127\.0\.0\.1:\([0-9]*\)/$#\1#p' "$work/desktop.out" | head -n 1)"
if [[ -z "$desktop_port" ]]; then
    fail "the window's registry never listened"
# The window's title carries its registry's address.
elif ! grep -qF "\"http://127.0.0.1:$desktop_port/ — Trove\"" "$work/windows.txt"; then
    fail "no window titled with its address was mapped: $(cat "$work/windows.txt")"
fi

echo "== the installed window started hidden, with a tray host"
# What the autostart entry runs: only the tray icon (docked in trayer), no window, the registry
# serving.
xvfb-run -a -s "-screen 0 1280x800x24" bash -c '
    trayer --SetDockType true --height 32 --widthtype request >/dev/null 2>&1 &
    tray=$!
    sleep 1
    "$1" --hidden --data "$2/hidden-data" --listen 127.0.0.1:0 >"$2/hidden.out" 2>"$2/hidden.err" &
    pid=$!
    for _ in $(seq 200); do
        grep -q "^Listening on" "$2/hidden.out" && break
        sleep 0.1
    done
    sleep 2
    xwininfo -root -tree >"$2/hidden-windows.txt"
    kill -0 "$pid" 2>/dev/null || echo "FAIL: trove --hidden did not stay up: $(cat "$2/hidden.err")" >&2
    kill -TERM "$pid" "$tray" 2>/dev/null || true
    wait "$pid" || true
' bash "$trove" "$work" || fail "trove --hidden"
hidden_port="$(sed -n 's#^Listening on http://127\.0\.0\.1:\([0-9]*\)/$#\1#p' "$work/hidden.out" | head -n 1)"
[[ -n "$hidden_port" ]] || fail "trove --hidden: the registry never listened"
if grep -qF -- "— Trove\"" "$work/hidden-windows.txt"; then
    fail "trove --hidden showed its window"
fi
grep -qF '"Trove": ("trove" "trove")' "$work/hidden-windows.txt" \
    || fail "trove --hidden has no tray icon: $(cat "$work/hidden-windows.txt")"

echo "== installed with dpkg"
if [[ "$(id -u)" -ne 0 || ("${CI:-}" != true && "${TROVE_TEST_INSTALL:-}" != 1) ]]; then
    echo "skipped: needs root on a throwaway machine (CI=true or TROVE_TEST_INSTALL=1)"
elif dpkg-query -W -f='${Status}' trove 2>/dev/null | grep -q "install ok installed"; then
    echo "skipped: a trove package is already installed here, and is left alone"
else
    dpkg -i "$deb" >"$work/dpkg.log" 2>&1 || fail "dpkg -i: $(cat "$work/dpkg.log")"
    [[ -x /usr/bin/trove ]] || fail "no /usr/bin/trove after dpkg -i"
    getent passwd trove >/dev/null || fail "postinst made no system user trove"
    [[ "$(stat -c %U /var/lib/trove 2>/dev/null)" == trove ]] || fail "/var/lib/trove is not trove's"
    if compgen -G "/etc/systemd/system/*.wants/trove.service" >/dev/null; then
        fail "the unit was enabled"
    fi
    # The unit's command line, as its user, on a free port instead of the default one.
    runuser -u trove -- /usr/bin/trove serve --data /var/lib/trove --listen 127.0.0.1:0 \
        >"$work/service.out" 2>"$work/service.err" &
    service=$!
    pids+=("$service")
    if port="$(port_from "$work/service.out" "$service")"; then
        ping_ok "$port" || fail "trove serve as the user trove does not answer the ping"
        [[ "$(stat -c %U /var/lib/trove/trove.sqlite 2>/dev/null)" == trove ]] \
            || fail "the service's database is not in /var/lib/trove or not trove's"
    else
        fail "trove serve as the user trove never listened: $(cat "$work/service.err")"
    fi
    kill -TERM "$service" 2>/dev/null || true
    wait "$service" || true
    dpkg -r trove >>"$work/dpkg.log" 2>&1 || fail "dpkg -r"
    [[ ! -e /usr/bin/trove ]] || fail "/usr/bin/trove is still there after dpkg -r"
    [[ -f /var/lib/trove/trove.sqlite ]] || fail "removing (not purging) deleted the registry's data"
    dpkg -P trove >>"$work/dpkg.log" 2>&1 || fail "dpkg -P"
    [[ ! -e /var/lib/trove ]] || fail "purging left /var/lib/trove"
fi

if ((failures > 0)); then
    echo "$failures check(s) failed"
    exit 1
fi
echo "all checks passed"
