#!/bin/bash
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 TCP_NODELAY=1
echo "load start: $(cat /proc/loadavg) $(date -u +%T)"
$JAVA_HOME/bin/java --enable-native-access=ALL-UNNAMED -Dbench.serve.jar=/tmp/ing3/main.jar -Dbench.serve.normal.jar=/tmp/ing3/vn.jar -Dbench.serve.norej.jar=/tmp/ing3/vr.jar -cp /tmp/ing3/benchmarks.jar dev.steadfast.bench.load.IngestBench --data ct=$D/ct600 --warmup $D/warmup --work /tmp/ing3/work --peers durable,orthanc,serve,serve:normal,serve:norej --assocs 1,4 --senders storescu --repeats 2 --out /tmp/ing3/res/run1.tsv
echo "load end: $(cat /proc/loadavg) $(date -u +%T)"
