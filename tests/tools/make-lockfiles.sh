#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Regenerates the real lockfiles of tests/data/lockfiles/ (read by tests/model/tst_lockfile.cpp
# and, with the packages' tarballs in tests/data/lockfiles/tarballs/, by tests/app/tst_mirror.cpp):
# starts `trove serve` on 127.0.0.1 (a free port), publishes a few scoped and unscoped packages
# that depend on each other, and lets the real npm 11 (lockfile v3 and v2), yarn classic, yarn
# berry and pnpm of tests/e2e/node_modules (`npm ci` in tests/e2e first) lock one project with
# a workspace package, a local folder and an alias. The port is rewritten to 4873 so that a run
# changes nothing unless a client's output changes.
#
#   tests/tools/make-lockfiles.sh [TROVE_BINARY]     (default: build/app/trove)
#
# After a client upgrade, run it, look at `git diff tests/data/lockfiles`, and update the
# expected entries in tst_lockfile.cpp if the clients now write something else.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
trove=${1:-$root/build/app/trove}
clients=$root/tests/e2e/node_modules
out=$root/tests/data/lockfiles
work=$(mktemp -d)
serve_pid=

cleanup() {
    if [ -n "$serve_pid" ]; then
        kill "$serve_pid" 2>/dev/null || true
        wait "$serve_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

[ -x "$trove" ] || { echo "no trove binary at $trove" >&2; exit 1; }
[ -f "$clients/npm11/bin/npm-cli.js" ] || { echo "run npm ci in tests/e2e first" >&2; exit 1; }

data=$work/data
t() { "$trove" "$@" --data "$data" >/dev/null; }
t group create acme --visibility public
t project create acme/widgets --visibility public
t user create mia
t member add --group acme mia maintainer
token=$("$trove" token create mia --data "$data")
# Unknown names must never leave the machine.
t forwarding set off

"$trove" serve --listen 127.0.0.1:0 --data "$data" >"$work/serve.log" 2>&1 &
serve_pid=$!
port=
for _ in $(seq 100); do
    port=$(sed -n 's|^Listening on http://127.0.0.1:\([0-9]*\)/$|\1|p' "$work/serve.log")
    [ -n "$port" ] && break
    sleep 0.1
done
[ -n "$port" ] || { cat "$work/serve.log" >&2; exit 1; }
origin=http://127.0.0.1:$port
project_url=$origin/api/v4/projects/1/packages/npm/
registry=$origin/api/v4/groups/acme/-/packages/npm/

# Every client run: its own HOME and cache, no user configuration, nothing but loopback.
export HOME=$work/home npm_config_userconfig=$work/empty-npmrc npm_config_cache=$work/npm-cache
export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
export YARN_CACHE_FOLDER=$work/yarn-cache YARN_ENABLE_TELEMETRY=0 YARN_ENABLE_GLOBAL_CACHE=false
export COREPACK_ENABLE_STRICT=0
unset NPM_CONFIG_USERCONFIG npm_config_registry NPM_TOKEN CI_JOB_TOKEN
mkdir -p "$HOME"
: >"$work/empty-npmrc"

client() { # client NAME ARGS... (in the current folder)
    local name=$1
    shift
    case $name in
    npm) node "$clients/npm11/bin/npm-cli.js" "$@" ;;
    yarn1) node "$clients/yarn/bin/yarn.js" "$@" ;;
    yarn4) node "$clients/@yarnpkg/cli-dist/bin/yarn.js" "$@" ;;
    pnpm) node "$clients/pnpm/bin/pnpm.cjs" "$@" ;;
    esac
}

publish() { # publish NAME VERSION [DEPENDENCIES-JSON]
    local dir=$work/pkg/$1-$2
    mkdir -p "$dir"
    cat >"$dir/package.json" <<EOF
{"name": "$1", "version": "$2", "main": "index.js", "license": "MIT", "dependencies": ${3:-{\}}}
EOF
    echo "module.exports = '$1@$2';" >"$dir/index.js"
    # npm wants a token of the registry's own URL before it publishes.
    printf 'registry=%s\n%s:_authToken=%s\n' "$project_url" "${project_url#http:}" "$token" \
        >"$dir/.npmrc"
    # The tarball as published, for tests that serve these exact packages (tst_mirror).
    mkdir -p "$out/tarballs"
    (cd "$dir" && client npm pack --pack-destination "$out/tarballs" >"$work/publish.log" 2>&1 &&
        client npm publish >>"$work/publish.log" 2>&1) || {
        cat "$work/publish.log" >&2
        exit 1
    }
}

publish @acme/core 1.0.0
publish @acme/core 1.1.0
publish left-pad-lite 1.0.0
publish left-pad-lite 1.2.0
publish @acme/widget 2.0.0 '{"@acme/core": "^1.0.0", "left-pad-lite": "^1.0.0"}'
publish tiny-util 0.3.1 '{"left-pad-lite": "1.0.0"}'

# The project: registry packages (one of them twice, in two versions), an alias, a local folder
# and a workspace package.
project() { # project DIR
    mkdir -p "$1/packages/helper" "$1/vendor/local-thing"
    cat >"$1/package.json" <<'EOF'
{
  "name": "consumer",
  "version": "1.0.0",
  "private": true,
  "workspaces": ["packages/*"],
  "dependencies": {
    "@acme/widget": "^2.0.0",
    "tiny-util": "^0.3.0",
    "pad-alias": "npm:left-pad-lite@1.0.0",
    "local-thing": "file:./vendor/local-thing"
  }
}
EOF
    echo '{"name": "helper", "version": "0.1.0", "dependencies": {"left-pad-lite": "^1.2.0"}}' \
        >"$1/packages/helper/package.json"
    echo '{"name": "local-thing", "version": "0.0.1"}' >"$1/vendor/local-thing/package.json"
    printf 'registry=%s\n' "$registry" >"$1/.npmrc"
}

lock() { # lock CLIENT OUTPUT-DIR LOCKFILE ARGS...
    local name=$1 target=$2 file=$3
    shift 3
    local dir=$work/consumer-$target
    project "$dir"
    case $name in
    yarn1) printf 'registry "%s"\n' "$registry" >"$dir/.yarnrc" ;;
    yarn4)
        cat >"$dir/.yarnrc.yml" <<EOF
nodeLinker: node-modules
enableTelemetry: false
npmRegistryServer: "$registry"
npmMinimalAgeGate: 0
unsafeHttpWhitelist: ["127.0.0.1"]
EOF
        : >"$dir/yarn.lock"
        ;;
    pnpm)
        printf 'packages:\n  - "packages/*"\n' >"$dir/pnpm-workspace.yaml"
        printf 'minimum-release-age=0\n' >>"$dir/.npmrc"
        ;;
    esac
    (cd "$dir" && client "$name" "$@" >"$work/$target.log" 2>&1) || {
        cat "$work/$target.log" >&2
        exit 1
    }
    mkdir -p "$out/$target"
    sed -e "s|127\.0\.0\.1:$port|127.0.0.1:4873|g" -e "s|127\.0\.0\.1%3A$port|127.0.0.1%3A4873|g" \
        "$dir/$file" >"$out/$target/$file"
    echo "$out/$target/$file"
}

lock npm npm-v3 package-lock.json install
lock npm npm-v2 package-lock.json install --lockfile-version 2
lock yarn1 yarn-classic yarn.lock install --non-interactive
lock yarn4 yarn-berry yarn.lock install
lock pnpm pnpm pnpm-lock.yaml install --store-dir "$work/pnpm-store"

# Loopback only: no other host may be named in a fixture.
if grep -rnoE "https?://[^/\"' ]*" "$out" | grep -vE "://127\.0\.0\.1(:[0-9]+)?$" >&2; then
    echo "a lockfile names a host other than 127.0.0.1" >&2
    exit 1
fi
