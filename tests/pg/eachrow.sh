#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Runs a Qt Test binary on the PostgreSQL test cluster when its tests open their registry with
# Registry::open(dir) themselves (the server tests) rather than through tests/model/testsupport.h's
# RegistryFixture: Registry::open takes its store from TROVE_STORE, which names one schema of the
# cluster here, and every test function and data row runs in a process of its own, the schema
# emptied in between (as RegistryFixture empties a closed fixture's), so that no row sees another
# row's packages. Needs TROVE_TEST_STORE (cluster.sh run sets it).
#
#   eachrow.sh TEST_BINARY [--skip FUNCTION]...
#
# --skip names a function that only makes sense on SQLite (it writes the SQLite file directly).
# Exit status: 0 when every row passed, 1 otherwise; the output of failed rows is printed.
set -euo pipefail

(($# >= 1)) || { echo "usage: $0 TEST_BINARY [--skip FUNCTION]..." >&2; exit 2; }
binary=$1
shift
declare -A skip=()
while (($#)); do
    [[ $1 == --skip && $# -ge 2 ]] || { echo "$0: unexpected argument $1" >&2; exit 2; }
    skip[$2]=1
    shift 2
done
[[ -n ${TROVE_TEST_STORE:-} ]] || { echo "$0: TROVE_TEST_STORE is not set" >&2; exit 2; }

psql=
for candidate in /usr/lib/postgresql/*/bin/psql; do
    [[ -x $candidate ]] && psql=$candidate
done
[[ -n $psql ]] || psql=$(command -v psql)

schema="rows_$$_$RANDOM"
export TROVE_STORE="$TROVE_TEST_STORE?schema=$schema"
sql() {
    "$psql" -X -q -v ON_ERROR_STOP=1 -d "$TROVE_TEST_STORE" -c "$1" </dev/null >/dev/null
}
trap 'sql "SET client_min_messages = warning; DROP SCHEMA IF EXISTS \"$schema\" CASCADE" || true' EXIT

# Every table as the migration left it: no rows, identities restarted, the schema version kept.
empty_schema() {
    sql "SET client_min_messages = warning;
DO \$\$ BEGIN
IF EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = '$schema') THEN
EXECUTE (SELECT 'TRUNCATE ' || string_agg(format('%I.%I', schemaname, tablename), ', ')
 || ' RESTART IDENTITY CASCADE' FROM pg_tables WHERE schemaname = '$schema'
 AND tablename NOT IN ('meta', 'change_stamp'));
EXECUTE format('DELETE FROM %I.meta WHERE key <> ''schema_version''', '$schema');
EXECUTE format('UPDATE %I.change_stamp SET value = 0', '$schema');
END IF; END \$\$"
}

# "tst_Class function" or "tst_Class function tag with spaces", one line per row.
mapfile -t rows < <("$binary" -datatags)
((${#rows[@]} > 0)) || { echo "$0: $binary lists no test functions" >&2; exit 1; }
failed=0
passed=0
for row in "${rows[@]}"; do
    rest=${row#* }
    function=${rest%% *}
    tag=
    [[ $rest == *" "* ]] && tag=${rest#* }
    [[ -n ${skip[$function]:-} ]] && continue
    name=$function
    [[ -n $tag ]] && name="$function:$tag"
    if output=$("$binary" "$name" 2>&1); then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAILED ROW: $name"
        echo "$output" | grep -v '^QDEBUG\|^QINFO' | tail -40
    fi
    empty_schema
done
echo "$(basename "$binary") on PostgreSQL: $passed row(s) passed, $failed failed, ${#skip[@]} function(s) skipped"
((failed == 0))
