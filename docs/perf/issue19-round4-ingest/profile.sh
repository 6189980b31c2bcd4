#!/bin/bash
# usage: profile.sh JAR LABEL ASSOCS [AOT]: serve with JFR CPU-time samples; ct600 (first 600) then ct600b, ct600c; CPU of the process per set
set -e
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 TCP_NODELAY=1
JAR=$1; L=$2; A=${3:-4}; AOT=${4:-}
W=/tmp/ing4/prof-$L; rm -rf $W; mkdir -p $W
P=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
H=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
opts=(); [ -n "$AOT" ] && opts=(-XX:AOTCache=$AOT -Xlog:aot*=off -Xlog:cds*=off)
echo "load start: $(cat /proc/loadavg) $(date -u +%T)"
STEADFAST_DICOM_MAX_ASSOCIATIONS_PER_HOST=64 $JAVA_HOME/bin/java --enable-native-access=ALL-UNNAMED "${opts[@]}" -XX:StartFlightRecording=filename=$W/rec.jfr,settings=profile,dumponexit=true,jdk.CPUTimeSample#enabled=true,jdk.CPUTimeSample#throttle=1ms -jar $JAR serve --data $W/data --dicom-port $P --http-port $H > $W/log.txt 2>&1 &
SP=$!
until echoscu -aec STEADFAST -to 1 127.0.0.1 $P >/dev/null 2>&1; do sleep 0.05; done
cpu() { awk '{print ($14+$15)*10}' /proc/$SP/stat; }
for d in ct600 ct600b ct600c; do
  c0=$(cpu)
  r=$($JAVA_HOME/bin/java -cp /tmp/ing4/benchmarks.jar dev.steadfast.bench.load.StoreLoad --data /tmp/perf/bench/data/$d --port $P --aet STEADFAST --assocs $A --sender storescu | tail -1)
  c1=$(cpu); echo "$L $d: $r | server cpu $(awk "BEGIN{printf \"%.2f\", ($c1-$c0)/600}") ms/inst"
done
kill $SP; wait $SP || true
cp $W/rec.jfr /tmp/ing4/res/prof-$L.jfr; rm -rf $W
echo "load end: $(cat /proc/loadavg) $(date -u +%T)"
