#!/usr/bin/env bash
# Crash soak: steadfast serve (its own JVM) killed with SIGKILL mid multi-association ingest and restarted,
# over and over; after every restart each acknowledged instance must be present, intact (SHA-256 of the data
# set sent) and findable with C-FIND, and nothing half-written visible. It drives the CI test
# (steadfast-server ServeCrashTest / ServeCrashPostgresTest) with more iterations; the first failure stops it.
#
#   bench/crash-soak.sh [--iterations N] [--minutes M] [--db sqlite|postgres]
#
# Defaults: 200 iterations, no time limit, SQLite. With --minutes the loop starts no new iteration after M
# minutes. PostgreSQL is the embedded server of the tests. Log: $RESULTS/crash-soak-<db>.log.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
ITERATIONS=200
MINUTES=0
DB=sqlite
while [ $# -gt 0 ]; do
    case "$1" in
        --iterations) ITERATIONS="$2"; shift 2 ;;
        --minutes) MINUTES="$2"; shift 2 ;;
        --db) DB="$2"; shift 2 ;;
        *) echo "usage: $0 [--iterations N] [--minutes M] [--db sqlite|postgres]" >&2; exit 2 ;;
    esac
done
case "$DB" in
    sqlite) CLASS=ServeCrashTest ;;
    postgres|postgresql) CLASS=ServeCrashPostgresTest; DB=postgres ;;
    *) echo "--db is sqlite or postgres, not $DB" >&2; exit 2 ;;
esac
LOG="$RESULTS/crash-soak-$DB.log"
start=$(date +%s)
set +e
(cd "$ROOT" && ./mvnw -q -pl steadfast-server -am test -Dtest="$CLASS#sigkillDuringIngestLosesNothingAcknowledged" \
    -Dsurefire.failIfNoSpecifiedTests=false -Dsteadfast.crash.iterations="$ITERATIONS" -Dsteadfast.crash.minutes="$MINUTES") \
    > "$LOG" 2>&1
rc=$?
set -e
passed=$(grep -c '^crash iteration ' "$LOG" || true)
echo "crash soak ($DB): $passed iterations passed in $(( $(date +%s) - start )) s; $( [ $rc -eq 0 ] && echo 'no failure' || echo "FAILED (exit $rc), see $LOG")"
grep '^crash loop\|^crash iteration' "$LOG" | tail -1
exit $rc
