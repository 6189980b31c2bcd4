#!/bin/bash
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 TCP_NODELAY=1
echo "load start: $(cat /proc/loadavg) $(date -u +%T)"
$JAVA_HOME/bin/java --enable-native-access=ALL-UNNAMED -Dbench.serve.jar=/tmp/ing3/branch.jar -Dbench.serve.before.jar=/tmp/ing3/main.jar -cp /tmp/ing3/benchmarks.jar dev.steadfast.bench.load.IngestBench --data ct=/tmp/perf/bench/data/ct600 --warmup /tmp/perf/bench/data/warmup --work /tmp/ing3/work --peers durable,orthanc,serve-before,serve --assocs 1,4 --senders storescu --repeats 2 --out /tmp/ing3/res/run2.tsv
echo "load end: $(cat /proc/loadavg) $(date -u +%T)"
