#!/bin/bash
# perf record -g of serve (JAR, AOT cache) at ASSOCS associations over ct600b + ct600c (after the first 600)
set -e
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 TCP_NODELAY=1
JAR=$1; L=$2; A=${3:-4}; AOT=${4:-}
W=/tmp/ing4/perf-$L; rm -rf $W; mkdir -p $W
P=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
H=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
opts=(); [ -n "$AOT" ] && opts=(-XX:AOTCache=$AOT -Xlog:aot*=off -Xlog:cds*=off)
echo "load start: $(cat /proc/loadavg) $(date -u +%T)"
STEADFAST_DICOM_MAX_ASSOCIATIONS_PER_HOST=64 $JAVA_HOME/bin/java --enable-native-access=ALL-UNNAMED "${opts[@]}" -XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit -XX:+PreserveFramePointer -jar $JAR serve --data $W/data --dicom-port $P --http-port $H > $W/log.txt 2>&1 &
SP=$!
until echoscu -aec STEADFAST -to 1 127.0.0.1 $P >/dev/null 2>&1; do sleep 0.05; done
cpu() { awk '{print ($14+$15)*10}' /proc/$SP/stat; }
send() { $JAVA_HOME/bin/java -cp /tmp/ing4/benchmarks.jar dev.steadfast.bench.load.StoreLoad --data /tmp/perf/bench/data/$1 --port $P --aet STEADFAST --assocs $A --sender storescu | tail -1; }
send ct600 >/dev/null
perf record -F 499 -g -p $SP -o /tmp/ing4/res/perf-$L.data 2>/dev/null & PP=$!
for d in ct600b ct600c; do c0=$(cpu); r=$(send $d); c1=$(cpu); echo "$L $d: $r | server cpu $(awk "BEGIN{printf \"%.2f\", ($c1-$c0)/600}") ms/inst"; done
kill -INT $PP; wait $PP || true
kill $SP; wait $SP || true
rm -rf $W
echo "load end: $(cat /proc/loadavg) $(date -u +%T)"
