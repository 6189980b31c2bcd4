#!/usr/bin/env bash
# Cluster throughput (issue 15): C-STORE through HAProxy (deploy/haproxy.cfg) to 1 node, then to 3 nodes,
# in one run, on one PostgreSQL primary with a synchronous standby (Debian postgresql-15) and one shared
# storage folder; prints instances/s and the CPU seconds per 1,000 instances of the nodes, PostgreSQL and
# HAProxy. Drives steadfast-server ClusterThroughputBench (not part of the suite). docs/PERFORMANCE.md.
#
#   bench/cluster.sh [--instances N] [--associations A] [--kib K]     (defaults 3000, 8, 64)
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
N=3000; A=8; K=64
while [ $# -gt 0 ]; do
    case "$1" in
        --instances) N="$2"; shift 2 ;;
        --associations) A="$2"; shift 2 ;;
        --kib) K="$2"; shift 2 ;;
        *) echo "usage: $0 [--instances N] [--associations A] [--kib K]" >&2; exit 2 ;;
    esac
done
LOG="$RESULTS/cluster.log"
set +e
(cd "$ROOT" && ./mvnw -q -pl steadfast-server -am test -Dtest='ClusterThroughputBench' -Dsurefire.failIfNoSpecifiedTests=false \
    -Dsteadfast.cluster.instances="$N" -Dsteadfast.cluster.associations="$A" -Dsteadfast.cluster.kib="$K") > "$LOG" 2>&1
rc=$?
set -e
sed -n '/^cluster throughput:/,+3p' "$LOG"
[ $rc -eq 0 ] || echo "FAILED (exit $rc), see $LOG"
exit $rc
