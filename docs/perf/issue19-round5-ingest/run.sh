#!/bin/bash
# before/after: durable, Orthanc, serve:main and serve:branch (each with its own launcher-trained AOT cache, train.sh),
# 1 and 4 associations, REPEATS repeats, peer order rotating each repeat (A B A B); work folder at the top of the filesystem
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 TCP_NODELAY=1
J=$JAVA_HOME/bin/java; W=${WORK:-/ing5-bench}
echo "load start: $(cat /proc/loadavg) $(date -u +%T)"
rm -rf $W
$J --enable-native-access=ALL-UNNAMED -Dbench.serve.main.jar=/tmp/ing5/main.jar "-Dbench.serve.main.jvm=-XX:AOTCache=/tmp/ing5/main.aot -Xlog:aot*=off -Xlog:cds*=off" -Dbench.serve.branch.jar=/tmp/ing5/${BRANCH:-branch}.jar "-Dbench.serve.branch.jvm=-XX:AOTCache=/tmp/ing5/${BRANCH:-branch}.aot -Xlog:aot*=off -Xlog:cds*=off" -cp /tmp/ing5/benchmarks.jar dev.steadfast.bench.load.IngestBench --data ct=/tmp/perf/bench/data/ct600 --warmup /tmp/perf/bench/data/warmup --work $W --peers ${PEERS:-durable,orthanc,serve:main,serve:branch} --assocs ${ASSOCS:-1,4} --senders storescu --repeats ${REPEATS:-3} --out /tmp/ing5/res/${OUT:-run1}.tsv
echo "load end: $(cat /proc/loadavg) $(date -u +%T)"
rm -rf $W
