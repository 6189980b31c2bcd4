#!/bin/bash
# ChainLoop: builds in SERVES alternating (A B C D A B C D ...), ROUNDS rounds of PASSES passes, each run in its own top-level folder
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
B=${WORK:-/ing5-chain}; SERVES=${SERVES:-main a b c}
echo "load start $(cat /proc/loadavg) $(date -u +%T)"
for r in $(seq 1 ${ROUNDS:-3}); do
 for v in $SERVES; do
  W=$B-$v-$r; rm -rf $W; mkdir -p $W
  echo "== $v round $r $(cat /proc/loadavg)"
  $JAVA_HOME/bin/java --enable-native-access=ALL-UNNAMED -cp /tmp/ing5/$v.jar:/tmp/ing5/loop ChainLoop /tmp/perf/bench/data/ct600 $W ${PASSES:-5} 2>&1 | grep pass
 done
done
rm -rf $B-*
echo "load end $(cat /proc/loadavg) $(date -u +%T)"
