#!/bin/bash
# usage: profile.sh JAR LABEL ASSOCS ROUNDS
set -e
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 TCP_NODELAY=1
JAR=$1; L=$2; A=${3:-1}; R=${4:-3}
W=/tmp/ic/prof-$L; rm -rf $W; mkdir -p $W
P=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
H=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
STEADFAST_DICOM_MAX_ASSOCIATIONS_PER_HOST=64 $JAVA_HOME/bin/java --enable-native-access=ALL-UNNAMED -XX:StartFlightRecording=filename=$W/rec.jfr,settings=profile,dumponexit=true,jdk.ExecutionSample#period=2ms,jdk.CPUTimeSample#enabled=true,jdk.CPUTimeSample#throttle=2ms -jar $JAR serve --data $W/data --dicom-port $P --http-port $H > $W/log.txt 2>&1 &
SP=$!
for i in $(seq 200); do (echo > /dev/tcp/127.0.0.1/$P) 2>/dev/null && break; sleep 0.1; done
for d in ct600 ct600b; do

  $JAVA_HOME/bin/java -cp /tmp/ic/benchmarks.jar dev.steadfast.bench.load.StoreLoad --data /tmp/perf/bench/data/$d --port $P --aet STEADFAST --assocs $A --sender storescu
done
CPU=$(awk '{print ($14+$15)/100}' /proc/$SP/stat); echo "cpu_s $CPU"
kill $SP; wait $SP || true
