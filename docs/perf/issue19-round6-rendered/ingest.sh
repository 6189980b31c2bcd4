#!/bin/bash
# IngestBench, first 600 CT instances after a start: the branch's jar with the warm-up on (default) and off, same AOT cache
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 TCP_NODELAY=1
J=$JAVA_HOME/bin/java; W=/r7-ingest; out=${1:-ingest1}
A="-XX:AOTCache=/tmp/r7/br.aot -Xlog:aot*=off -Xlog:cds*=off"
props=(-Dbench.serve.won.jar=/tmp/r7/br.jar "-Dbench.serve.won.jvm=$A"
       -Dbench.serve.woff.jar=/tmp/r7/br.jar "-Dbench.serve.woff.jvm=$A" -Dbench.serve.woff.env=STEADFAST_IMAGING_WARM_UP=false
       -Dbench.serve.main.jar=/tmp/r7/main.jar "-Dbench.serve.main.jvm=-XX:AOTCache=/tmp/r7/main.aot -Xlog:aot*=off -Xlog:cds*=off")
{ echo "# load start: $(cat /proc/loadavg) $(date -u +%T)"
rm -rf $W
$J --enable-native-access=ALL-UNNAMED "${props[@]}" -cp /tmp/r7/bench.jar dev.steadfast.bench.load.IngestBench --data ct=/tmp/perf/bench/data/ct600 --warmup /tmp/perf/bench/data/warmup --work $W --peers ${PEERS:-serve:won,serve:woff,serve:main} --assocs ${ASSOCS:-1,4} --senders storescu --repeats ${REPEATS:-3} --out /tmp/r7/$out.tsv 2>&1 | grep -v '^\['
grep -rh "render warm-up" $W --include=log.txt | sed "s/^/# serve log: /"
echo "# load end: $(cat /proc/loadavg) $(date -u +%T)"; } > /tmp/r7/$out.log
rm -rf $W
