#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds the .deb (packaging/deb.sh BUILD_DIR), unpacks it and checks what a user and the
# distribution's tools see: the files are where desktops look for them, the .desktop entry and
# the AppStream metainfo validate, the icons have their sizes, trove(1) renders without warnings
# and carries the program's own usage, and lintian finds no error or warning.
#   deb-lint.sh BUILD_DIR
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="$1"
failures=0
fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

deb="$("$root/packaging/deb.sh" "$build" | tail -n 1)"
[[ -f "$deb" ]] || { echo "FAIL: deb.sh made no package" >&2; exit 1; }
echo "package: $deb"

version="$(sed -n 's/^project(Trove VERSION \([0-9.]*\).*/\1/p' "$root/CMakeLists.txt")"
[[ "$(dpkg-deb -f "$deb" Version)" == "$version-1" ]] || fail "Version is not $version-1"
[[ "$(basename "$deb")" == "trove_${version}-1_amd64.deb" ]] || fail "file name $(basename "$deb")"
depends="$(dpkg-deb -f "$deb" Depends)"
for needed in libqt6core6 libqt6widgets6 libarchive13 libssl3 adduser; do
    [[ "$depends" == *"$needed"* ]] || fail "Depends lacks $needed: $depends"
done

x="$(mktemp -d)"
trap 'rm -rf "$x"' EXIT
dpkg-deb -x "$deb" "$x"
id=io.github.trove.Trove
for file in usr/bin/trove \
    usr/share/applications/$id.desktop \
    usr/share/metainfo/$id.metainfo.xml \
    usr/share/icons/hicolor/scalable/apps/$id.svg \
    usr/share/man/man1/trove.1.gz \
    usr/share/doc/trove/copyright \
    usr/share/doc/trove/changelog.Debian.gz \
    lib/systemd/system/trove.service; do
    [[ -f "$x/$file" ]] || fail "missing /$file"
done
[[ -x "$x/usr/bin/trove" ]] || fail "/usr/bin/trove is not executable"

echo "== desktop-file-validate"
desktop-file-validate "$x/usr/share/applications/$id.desktop" || fail "desktop-file-validate"
echo "== appstreamcli validate --no-net"
appstreamcli validate --no-net "$x/usr/share/metainfo/$id.metainfo.xml" || fail "appstreamcli validate"

for size in 16 22 24 32 48 64 128 256; do
    png="$x/usr/share/icons/hicolor/${size}x${size}/apps/$id.png"
    if [[ ! -f "$png" ]]; then
        fail "no ${size}x${size} icon"
    elif ! file "$png" | grep -q "PNG image data, $size x $size,"; then
        fail "the ${size}x${size} icon is $(file -b "$png")"
    fi
done

echo "== trove(1)"
warnings="$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$x/usr/share/man/man1/trove.1.gz" 2>&1 >/dev/null)"
[[ -z "$warnings" ]] || fail "man reports: $warnings"
page="$(LC_ALL=C.UTF-8 MANWIDTH=200 man -l "$x/usr/share/man/man1/trove.1.gz" 2>/dev/null)"
# The page's synopsis and commands are the program's own text.
while IFS= read -r line; do
    line="${line#Usage: }"
    line="$(sed 's/^ *//' <<<"$line")"
    grep -qF -- "$line" <<<"$page" || fail "trove(1) lacks the --help line: $line"
done < <("$x/usr/bin/trove" --help)
grep -qF "trove check" <<<"$page" || fail "trove(1) lacks the commands of trove help"

echo "== trove.service"
unit="$x/lib/systemd/system/trove.service"
grep -qx "ExecStart=/usr/bin/trove serve --data /var/lib/trove" "$unit" || fail "ExecStart"
grep -qx "User=trove" "$unit" || fail "User=trove"
grep -qx "NoNewPrivileges=yes" "$unit" || fail "NoNewPrivileges"
grep -qx "ProtectSystem=strict" "$unit" || fail "ProtectSystem=strict"
grep -qx "ReadWritePaths=/var/lib/trove" "$unit" || fail "ReadWritePaths"
# Installed, never enabled: no wants/ symlink in the package, no systemctl enable in a script.
if dpkg-deb -c "$deb" | grep -q "\.wants/"; then fail "the package enables the unit"; fi
ctl="$(mktemp -d)"
dpkg-deb -e "$deb" "$ctl"
if grep -qE "systemctl (enable|start)|deb-systemd-helper enable" "$ctl"/post* "$ctl"/pre* 2>/dev/null; then
    fail "a maintainer script enables or starts the unit"
fi
rm -rf "$ctl"

echo "== lintian"
# (CI runs as root, which lintian only remarks on.)
if ! report="$(lintian --fail-on error,warning "$deb" 2>&1)"; then
    fail "lintian"
fi
grep -v "running with root privileges" <<<"$report" || true

if ((failures > 0)); then
    echo "$failures check(s) failed"
    exit 1
fi
echo "all checks passed"
