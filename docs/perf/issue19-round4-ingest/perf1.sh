#!/bin/bash
# perf record of IngestLoop (main), passes 3-4, with the JIT's perf map for Java frames
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
J=$JAVA_HOME/bin/java; JAR=${1:-/tmp/ing4/main.jar}; OUT=${2:-/tmp/ing4/res/perf-main}
echo "load start: $(cat /proc/loadavg) $(date -u +%T)"
rm -rf /tmp/ing4/lw; mkdir -p /tmp/ing4/lw
$J --enable-native-access=ALL-UNNAMED -XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit -XX:+PreserveFramePointer -cp $JAR:/tmp/ing4/loop IngestLoop /tmp/perf/bench/data/ct600 /tmp/ing4/lw 6 1 > $OUT.loop.txt 2>&1 &
PID=$!
# passes 0-2 warm up; record the rest
sleep 1; while ! grep -q "pass 2" $OUT.loop.txt 2>/dev/null; do sleep 0.2; done
perf record -F 999 -g -p $PID -o $OUT.data 2>/dev/null &
PP=$!
wait $PID; kill -INT $PP; wait $PP
cat $OUT.loop.txt
rm -rf /tmp/ing4/lw
echo "load end: $(cat /proc/loadavg) $(date -u +%T)"
