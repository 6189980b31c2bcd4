#!/bin/bash
# before/after: durable, Orthanc, serve:main and serve:branch (each with its own launcher-trained AOT cache), 1 and 4
# associations, 3 repeats, peer order rotating each repeat; work folder at the top of the filesystem (a block group
# no other session churns), previous rounds' folders moved aside and deleted only at the end (Peers.retire)
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 TCP_NODELAY=1
J=$JAVA_HOME/bin/java; W=${WORK:-/ing4-bench}
echo "load start: $(cat /proc/loadavg) $(date -u +%T)"
rm -rf $W
$J --enable-native-access=ALL-UNNAMED -Dbench.serve.main.jar=/tmp/ing4/main.jar "-Dbench.serve.main.jvm=-XX:AOTCache=/tmp/ing4/main.aot -Xlog:aot*=off -Xlog:cds*=off" -Dbench.serve.branch.jar=/tmp/ing4/branch.jar "-Dbench.serve.branch.jvm=-XX:AOTCache=/tmp/ing4/branch.aot -Xlog:aot*=off -Xlog:cds*=off" -cp /tmp/ing4/benchmarks-branch.jar dev.steadfast.bench.load.IngestBench --data ct=/tmp/perf/bench/data/ct600 --warmup /tmp/perf/bench/data/warmup --work $W --peers durable,orthanc,serve:main,serve:branch --assocs ${ASSOCS:-1,4} --senders storescu --repeats ${REPEATS:-3} --out /tmp/ing4/res/${OUT:-run2}.tsv
echo "load end: $(cat /proc/loadavg) $(date -u +%T)"
