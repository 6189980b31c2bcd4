#!/bin/bash
# usage: train.sh JAR OUT.aot : a serve of JAR that ingests the warm-up set and 600 CT, then stops; the JVM writes OUT
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 TCP_NODELAY=1
JAR=$1; OUT=$2; W=/tmp/perf/train; rm -rf $W $OUT; mkdir -p $W
P=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'); H=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
$JAVA_HOME/bin/java --enable-native-access=ALL-UNNAMED -XX:AOTCacheOutput=$OUT -Xlog:aot*=off -Xlog:cds*=off -jar $JAR serve --data $W/data --dicom-port $P --http-port $H > $W/log.txt 2>&1 &
SP=$!; n=0; until echoscu -aec STEADFAST -to 1 127.0.0.1 $P >/dev/null 2>&1; do sleep 0.1; n=$((n+1)); [ $n -gt 600 ] && break; done
for d in warmup ct600c; do $JAVA_HOME/bin/java -cp /tmp/perf/benchmarks.jar dev.steadfast.bench.load.StoreLoad --data /tmp/perf/bench/data/$d --port $P --aet STEADFAST --assocs 1 --sender storescu; done
t0=$(date +%s%N); kill $SP; wait $SP; echo "training exit took $(( ($(date +%s%N)-t0)/1000000 )) ms"; ls -la $OUT
