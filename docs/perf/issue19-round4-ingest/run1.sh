#!/bin/bash
# baseline on a quiet machine: durable, Orthanc, serve (main), serve:aot (main with the launcher's AOT cache), 1 and 4 associations, 3 repeats;
# then IngestLoop 5 passes with JFR CPU-time samples of the last
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 TCP_NODELAY=1
J=$JAVA_HOME/bin/java
echo "load start: $(cat /proc/loadavg) $(date -u +%T)"
$J --enable-native-access=ALL-UNNAMED -Dbench.serve.jar=/tmp/ing4/main.jar -Dbench.serve.aot.jar=/tmp/ing4/main.jar "-Dbench.serve.aot.jvm=-XX:AOTCache=/tmp/ing4/main.aot -Xlog:aot*=off -Xlog:cds*=off" -cp /tmp/ing4/benchmarks.jar dev.steadfast.bench.load.IngestBench --data ct=/tmp/perf/bench/data/ct600 --warmup /tmp/perf/bench/data/warmup --work /tmp/ing4/work --peers durable,orthanc,serve,serve:aot --assocs 1,4 --senders storescu --repeats 3 --out /tmp/ing4/res/run1.tsv
echo "load mid: $(cat /proc/loadavg) $(date -u +%T)"
rm -rf /tmp/ing4/lw; mkdir -p /tmp/ing4/lw
$J --enable-native-access=ALL-UNNAMED -cp /tmp/ing4/main.jar:/tmp/ing4/loop IngestLoop /tmp/perf/bench/data/ct600 /tmp/ing4/lw 5 1 /tmp/ing4/res/loop-main.jfr 2>&1 | grep pass
rm -rf /tmp/ing4/lw
echo "load end: $(cat /proc/loadavg) $(date -u +%T)"
