#!/bin/bash
# before/after in one run: durable, Orthanc and one serve per name in SERVES (/tmp/ing7/NAME.jar, each with its own
# launcher-trained AOT cache NAME.aot from train.sh), 1 and 4 associations, REPEATS repeats, peer order rotating
# each repeat (A B A B); work folder at the top of the filesystem
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 TCP_NODELAY=1
J=$JAVA_HOME/bin/java; W=${WORK:-/ing7-bench}; SERVES=${SERVES:-main a b}
props=(); peers=durable,orthanc
for s in $SERVES; do
  props+=("-Dbench.serve.$s.jar=/tmp/ing7/$s.jar" "-Dbench.serve.$s.jvm=-XX:AOTCache=/tmp/ing7/$s.aot -Xlog:aot*=off -Xlog:cds*=off")
  peers=$peers,serve:$s
done
echo "load start: $(cat /proc/loadavg) $(date -u +%T)"
rm -rf $W
$J --enable-native-access=ALL-UNNAMED "${props[@]}" -cp /tmp/ing7/benchmarks.jar dev.steadfast.bench.load.IngestBench --data ct=/tmp/perf/bench/data/ct600 --warmup /tmp/perf/bench/data/warmup --work $W --peers ${PEERS:-$peers} --assocs ${ASSOCS:-1,4} --senders storescu --repeats ${REPEATS:-3} --out /tmp/ing7/res/${OUT:-run}.tsv
echo "load end: $(cat /proc/loadavg) $(date -u +%T)"
rm -rf $W
