#!/bin/bash
# After the change "a full collection once the warm-up is done" (gc/br.jar): its AOT cache trained as the launcher
# does, then rendered (runs 13-14: serve:gc against serve:branch = the jar measured above, and Orthanc) and
# IngestBench's first 600 (gc jar warm-up on and off, and the jar above with it on).
cd /tmp/r7
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 TCP_NODELAY=1
J=$JAVA_HOME/bin/java
rm -f gc/br.aot gc/br.aot.config
./run.sh train-gc.log tg -Dbench.serve.gtrain.jar=/tmp/r7/gc/br.jar "-Dbench.serve.gtrain.jvm=-XX:AOTCacheOutput=/tmp/r7/gc/br.aot -Xlog:aot*=off -Xlog:cds*=off" -- --peers serve:gtrain --what rendered --rendered 30
for i in $(seq 1 60); do [ -s gc/br.aot ] && break; sleep 1; done
[ -s gc/br.aot ] || $J -XX:AOTMode=create -XX:AOTConfiguration=/tmp/r7/gc/br.aot.config -XX:AOTCache=/tmp/r7/gc/br.aot --enable-native-access=ALL-UNNAMED -cp /tmp/r7/gc/br.jar
$J -XX:AOTCache=/tmp/r7/gc/br.aot -XX:AOTMode=on --enable-native-access=ALL-UNNAMED -jar /tmp/r7/gc/br.jar --help > /dev/null 2>&1 && echo "gc/br.aot usable"
A="-XX:AOTCache=/tmp/r7/br.aot -Xlog:aot*=off -Xlog:cds*=off"; G="-XX:AOTCache=/tmp/r7/gc/br.aot -Xlog:aot*=off -Xlog:cds*=off"
P=(-Dbench.serve.branch.jar=/tmp/r7/br.jar "-Dbench.serve.branch.jvm=$A" -Dbench.serve.gc.jar=/tmp/r7/gc/br.jar "-Dbench.serve.gc.jvm=$G")
./run.sh run13.log r13 "${P[@]}" -- --peers serve:gc,serve:branch,orthanc --what rendered --rendered 300
./run.sh run14.log r14 "${P[@]}" -- --peers orthanc,serve:branch,serve:gc --what rendered --rendered 300
W=/r7-ingest; rm -rf $W
props=(-Dbench.serve.gcon.jar=/tmp/r7/gc/br.jar "-Dbench.serve.gcon.jvm=$G"
       -Dbench.serve.gcoff.jar=/tmp/r7/gc/br.jar "-Dbench.serve.gcoff.jvm=$G" -Dbench.serve.gcoff.env=STEADFAST_IMAGING_WARM_UP=false
       -Dbench.serve.won.jar=/tmp/r7/br.jar "-Dbench.serve.won.jvm=$A")
{ echo "# load start: $(cat /proc/loadavg) $(date -u +%T)"
$J --enable-native-access=ALL-UNNAMED "${props[@]}" -cp /tmp/r7/bench.jar dev.steadfast.bench.load.IngestBench --data ct=/tmp/perf/bench/data/ct600 --warmup /tmp/perf/bench/data/warmup --work $W --peers serve:gcon,serve:gcoff,serve:won --assocs 1 --senders storescu --repeats 3 --out /tmp/r7/ingest2.tsv 2>&1 | grep -v '^\['
echo "# load end: $(cat /proc/loadavg) $(date -u +%T)"; } > /tmp/r7/ingest2.log
rm -rf $W
