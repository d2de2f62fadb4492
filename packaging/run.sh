#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs what is missing, builds, and starts Trove.
#   packaging/run.sh              the desktop application
#   packaging/run.sh serve [...]  the headless registry (trove serve [...])
#   packaging/run.sh VERB [...]   any other trove command line
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/packaging/install-deps.sh"
"$root/packaging/build.sh"
exec "$root/build/app/trove" "$@"
