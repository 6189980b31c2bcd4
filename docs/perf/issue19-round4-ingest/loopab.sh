#!/bin/bash
# IngestLoop (round four; each run in its own top-level folder, all deleted at the end: indexes opened before pass 0, folders kept to the end), main and branch alternating, 1 thread, 5 passes
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
B=${WORK:-/ing4-loop}
echo "load start $(cat /proc/loadavg) $(date -u +%T)"
for r in 1 2; do
 for v in main branch; do
  W=$B-$v-$r; rm -rf $W; mkdir -p $W
  echo "== $v round $r $(cat /proc/loadavg)"
  $JAVA_HOME/bin/java --enable-native-access=ALL-UNNAMED -cp /tmp/ing4/$v.jar:/tmp/ing4/loop4 IngestLoop /tmp/perf/bench/data/ct600 $W 5 1 ${JFR:+/tmp/ing4/res/loop-$v$r.jfr} 2>&1 | grep pass
 done
done
rm -rf $B-*
echo "load end $(cat /proc/loadavg) $(date -u +%T)"
