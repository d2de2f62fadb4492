#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs the Debian 12 packages that building and testing Trove need, only those missing.
# Works as root or through sudo, never prompts.
set -euo pipefail

packages=(
    # build
    cmake ninja-build g++ ccache pkg-config
    qt6-base-dev qt6-base-dev-tools libqt6sql6-sqlite
    # the PostgreSQL store: Qt's QPSQL driver, and the server the tests start a cluster of
    # (tests/pg/cluster.sh; runuser comes with util-linux)
    libqt6sql6-psql postgresql
    # the load balancer in front of two trove serve in the cluster test (tests/pg/tst_pgcluster.cpp)
    nginx
    # translations: the CMake package, and lrelease/lupdate
    qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools
    libxkbcommon-dev libgl-dev
    # tarballs (KArchive has no Qt 6 build on Debian 12)
    libarchive-dev zlib1g-dev
    # the self-signed certificate of Registry Settings (libcrypto)
    libssl-dev
    # tests: format check, the real npm clients' runtime, screenshots, fonts
    clang-format nodejs npm sqlite3 xvfb xauth fonts-dejavu-core
    # the linker (CMakeLists.txt: several times faster than GNU ld on the test programs)
    lld
    # the GitLab Packages API end-to-end test: python-gitlab, run with /usr/bin/python3
    python3-gitlab
    # benchmarks: the load generator, the Qt HTTP Server floor (tests/bench/floors), syscall counts,
    # PostgreSQL from Python (tests/bench/pgblobs.py, run with /usr/bin/python3)
    wrk qt6-httpserver-dev strace python3-psycopg2
    # fuzzing and sanitizers: clang's libFuzzer/ASan/UBSan runtimes, llvm-symbolizer for reports
    clang libclang-rt-14-dev llvm-14
    # the Debian package (packaging/deb.sh) and its tests: icons, man page, validators, lintian,
    # the installed window and the tray under Xvfb (trayer is the tray host)
    dpkg-dev fakeroot librsvg2-bin man-db desktop-file-utils appstream lintian file curl x11-utils trayer
)

missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done

# nodejs/npm may come from outside Debian (e.g. a preinstalled Node); a working `node` and `npm`
# on PATH are enough.
if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
    filtered=()
    for package in "${missing[@]}"; do
        [[ "$package" == nodejs || "$package" == npm ]] || filtered+=("$package")
    done
    missing=("${filtered[@]}")
fi

if ((${#missing[@]} == 0)); then
    exit 0
fi

echo "Installing: ${missing[*]}"
sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then
    sudo_cmd=(sudo -n)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null
