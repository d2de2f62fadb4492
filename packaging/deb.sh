#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds the Debian package of Trove: BUILD_DIR/trove_<version>-1_amd64.deb.
#   packaging/deb.sh              builds into build/ first (packaging/build.sh)
#   packaging/deb.sh BUILD_DIR    packages a folder that is already built, as it is (the tests
#                                 do: building there from inside ctest could take longer than
#                                 the test may)
# The version is the top CMakeLists.txt's project() VERSION; -1 is the Debian revision.
# Needs dpkg-dev, gzip and the packages packaging/install-deps.sh installs; no root.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if (($# == 0)); then
    "$root/packaging/build.sh"
    build="$root/build"
else
    build="$(cd "$1" && pwd)"
fi
umask 022

version="$(sed -n 's/^project(Trove VERSION \([0-9.]*\).*/\1/p' "$root/CMakeLists.txt")"
[[ -n "$version" ]] || { echo "deb.sh: no project() VERSION in CMakeLists.txt" >&2; exit 1; }
debversion="$version-1"
arch="$(dpkg --print-architecture)"
deb="$build/trove_${debversion}_${arch}.deb"

stage="$build/deb-root"
rm -rf "$stage" "$build/deb-src"
DESTDIR="$stage" cmake --install "$build" --prefix /usr --component trove --strip >/dev/null

doc="$stage/usr/share/doc/trove"
install -d "$doc" "$stage/lib/systemd/system" "$stage/usr/share/lintian/overrides" "$stage/DEBIAN"
install -m 0644 "$root/data/trove.service" "$stage/lib/systemd/system/trove.service"
install -m 0644 "$root/packaging/debian/copyright" "$doc/copyright"
sed "s/@VERSION@/$version/" "$root/packaging/debian/changelog" | gzip -9n >"$doc/changelog.Debian.gz"
install -m 0644 "$root/packaging/debian/lintian-overrides" "$stage/usr/share/lintian/overrides/trove"
for script in postinst prerm postrm; do
    install -m 0755 "$root/packaging/debian/$script" "$stage/DEBIAN/$script"
done

# Depends from the libraries the binary and the window's module link (dpkg-shlibdeps reads them
# from the installed packages' shlibs/symbols files); it wants a debian/control to exist, so it
# runs in a scratch source tree. adduser is for postinst.
src="$build/deb-src"
mkdir -p "$src/debian"
printf 'Source: trove\n\nPackage: trove\nArchitecture: any\n' >"$src/debian/control"
module="$(find "$stage/usr/lib" -name trove-desktop.so -print -quit)"
[[ -n "$module" ]] || { echo "deb.sh: the window's module trove-desktop.so was not installed" >&2; exit 1; }
shlibs="$(cd "$src" && dpkg-shlibdeps -O "$stage/usr/bin/trove" "$module" 2>"$src/shlibdeps.log")" \
    || { cat "$src/shlibdeps.log" >&2; exit 1; }
depends="${shlibs#shlibs:Depends=}, adduser"
rm -rf "$src"

size="$(du -sk --exclude=DEBIAN "$stage" | cut -f1)"
sed -e "s/@DEBVERSION@/$debversion/" -e "s/@SIZE@/$size/" -e "s/@DEPENDS@/$depends/" \
    -e "s/^Architecture: .*/Architecture: $arch/" \
    "$root/packaging/debian/control" >"$stage/DEBIAN/control"
(cd "$stage" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | sort -z \
    | xargs -0 md5sum >DEBIAN/md5sums)
chmod 0644 "$stage/DEBIAN/control" "$stage/DEBIAN/md5sums"

rm -f "$build"/trove_*.deb # one package in the folder: the tests install "the" .deb
dpkg-deb --build --root-owner-group -Zxz "$stage" "$deb" >/dev/null
echo "$deb"
