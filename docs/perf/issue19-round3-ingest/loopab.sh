#!/bin/bash
# IngestLoop A/B: main vs branch, alternating, 1 thread, 5 passes each (the last passes are steady state)
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
echo "load start $(cat /proc/loadavg) $(date -u +%T)"
for r in 1 2; do
 for v in main branch; do
  rm -rf /tmp/ing3/lw; mkdir -p /tmp/ing3/lw
  echo "== $v round $r $(cat /proc/loadavg)"
  $JAVA_HOME/bin/java --enable-native-access=ALL-UNNAMED -cp /tmp/ing3/$v.jar:/tmp/ing3/loop IngestLoop /tmp/perf/bench/data/ct600 /tmp/ing3/lw 5 1 2>&1 | grep pass
 done
done
rm -rf /tmp/ing3/lw
echo "load end $(cat /proc/loadavg) $(date -u +%T)"
