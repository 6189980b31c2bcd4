#!/bin/bash
# usage: startup.sh LABEL [java opts...]  -> prints ms to first successful C-ECHO and the CPU by then
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
L=$1; shift
W=/tmp/perf/st-$L; rm -rf $W; mkdir -p $W
P=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
H=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
JAR=${JAR:-/tmp/perf/before.jar}
t0=$(date +%s%N)
$JAVA_HOME/bin/java --enable-native-access=ALL-UNNAMED "$@" -jar $JAR serve --data $W/data --dicom-port $P --http-port $H > $W/log.txt 2>&1 &
SP=$!
n=0; until TCP_NODELAY=1 echoscu -aec STEADFAST -to 1 127.0.0.1 $P >/dev/null 2>&1; do sleep 0.02; n=$((n+1)); [ $n -gt 1000 ] && { echo timeout; kill $SP; exit 1; }; kill -0 $SP 2>/dev/null || { echo "$L died"; cat $W/log.txt | tail -5; exit 1; }; done
t1=$(date +%s%N)
CPU=$(awk '{print ($14+$15)*10}' /proc/$SP/stat)
echo "$L $(( (t1-t0)/1000000 )) ms cpu $CPU ms"
kill $SP; wait $SP 2>/dev/null
