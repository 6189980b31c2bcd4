#!/usr/bin/env bash
# Cluster throughput (issue 15): C-STORE through HAProxy (deploy/haproxy.cfg) to 1 node, then to 3 nodes,
# in one run, on one PostgreSQL primary with a synchronous standby (Debian postgresql-15) and one shared
# storage folder; prints instances/s and the CPU seconds per 1,000 instances of the nodes, PostgreSQL and
# HAProxy. Drives steadfast-server ClusterThroughputBench (not part of the suite). docs/PERFORMANCE.md.
#
#   bench/cluster.sh [--instances N] [--associations A] [--kib K]     (defaults 3000, 8, 64)
#                    [--configs 'label[@root][~jvm options];...'] [--phases 1,3] [--rounds R] [--profile DIR] [--statements]
#
# --configs alternates node configurations in one run (A B A B ... for --rounds R), each a 1-node then
# a 3-node phase (--phases: N or NxA, N nodes and A associations, e.g. 1,1x3,3,3x24): '@root' runs the nodes from another checkout's build (before/after), '~...' adds JVM
# options (e.g. 'one-cpu~-XX:ActiveProcessorCount=1 -XX:+UseSerialGC'). --profile records a JFR CPU-time
# profile per node into DIR (cut by phase with bench/JfrWindow.java); --statements loads pg_stat_statements
# and prints the statements per instance of each phase. Every phase prints the nodes' CPU by thread kind.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
N=3000; A=8; K=64; CONFIGS="this"; PHASES="1,3"; ROUNDS=1; PROFILE=""; PGOPTS=""
while [ $# -gt 0 ]; do
    case "$1" in
        --instances) N="$2"; shift 2 ;;
        --associations) A="$2"; shift 2 ;;
        --kib) K="$2"; shift 2 ;;
        --configs) CONFIGS="$2"; shift 2 ;;
        --rounds) ROUNDS="$2"; shift 2 ;;
        --phases) PHASES="$2"; shift 2 ;;
        --profile) PROFILE="$2"; shift 2 ;;
        --statements) PGOPTS="-c shared_preload_libraries=pg_stat_statements"; shift ;;
        *) echo "usage: $0 [--instances N] [--associations A] [--kib K] [--configs C] [--phases P] [--rounds R] [--profile DIR] [--statements]" >&2; exit 2 ;;
    esac
done
LOG="$RESULTS/cluster.log"
set +e
(cd "$ROOT" && ./mvnw -q -pl steadfast-server -am test -Dtest='ClusterThroughputBench' -Dsurefire.failIfNoSpecifiedTests=false \
    -Dsteadfast.cluster.instances="$N" -Dsteadfast.cluster.associations="$A" -Dsteadfast.cluster.kib="$K" \
    -Dsteadfast.cluster.configs="$CONFIGS" -Dsteadfast.cluster.rounds="$ROUNDS" -Dsteadfast.cluster.phases="$PHASES" -Dsteadfast.cluster.idle-seconds="${IDLE_SECONDS:-10}" -Dsteadfast.cluster.profile="$PROFILE" \
    -Dsteadfast.cluster.root="$ROOT" -Dsteadfast.pg.options="$PGOPTS") > "$LOG" 2>&1
rc=$?
set -e
grep '^phase \|^    ' "$LOG" || true
sed -n '/^cluster throughput:/,$p' "$LOG" | grep -v '^\[' | head -40 || true
[ $rc -eq 0 ] || echo "FAILED (exit $rc), see $LOG"
exit $rc
