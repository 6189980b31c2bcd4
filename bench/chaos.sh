#!/usr/bin/env bash
# Chaos run (issue 15): 3 serve nodes behind HAProxy (deploy/haproxy.cfg), a PostgreSQL primary and
# synchronous hot standby (Debian postgresql-15), a shared folder and s3proxy as storage targets (1 of 2).
# 4 storescu senders re-send what was not acknowledged; findscu, QIDO-RS, WADO-RS and movescu (to a dcmtk
# storescp) loop; all through HAProxy. A random node is killed (kill -9) and restarted every 20-40 s, the
# primary is killed and the standby promoted once, s3proxy is killed once. At the end every acknowledged
# instance must be found (QIDO-RS) and retrieved unchanged (WADO-RS). It drives the CI test
# (steadfast-server Issue15ChaosTest, 20 s there) for longer.
#
#   bench/chaos.sh [--minutes M] [--kill-every MIN-MAX]     (defaults: 5 minutes, 20-40 s)
#
# Prints: acknowledged, lost (must be 0), changed (0), client requests failed (%), the longest outage a
# client saw for a node loss and for the database fail-over. Log: $RESULTS/chaos.log (node and HAProxy
# logs in steadfast-server/target/issue15-chaos/).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
MINUTES=5
KILL=20-40
while [ $# -gt 0 ]; do
    case "$1" in
        --minutes) MINUTES="$2"; shift 2 ;;
        --kill-every) KILL="$2"; shift 2 ;;
        *) echo "usage: $0 [--minutes M] [--kill-every MIN-MAX]" >&2; exit 2 ;;
    esac
done
LOG="$RESULTS/chaos.log"
set +e
(cd "$ROOT" && ./mvnw -q -pl steadfast-server -am test -Dtest='Issue15ChaosTest' -Dsurefire.failIfNoSpecifiedTests=false \
    -Dsteadfast.chaos.seconds=$(( MINUTES * 60 )) -Dsteadfast.chaos.kill-min-seconds="${KILL%-*}" \
    -Dsteadfast.chaos.kill-max-seconds="${KILL#*-}") > "$LOG" 2>&1
rc=$?
set -e
sed -n '/^chaos run:/,/database fail-over)/p' "$LOG"
echo "chaos run: $( [ $rc -eq 0 ] && echo 'passed: nothing lost or changed' || echo "FAILED (exit $rc), see $LOG")"
exit $rc
