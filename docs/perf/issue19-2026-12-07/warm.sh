#!/bin/bash
# usage: warm.sh LABEL JAR [jvm opts...]: fresh serve; ms and CPU to the first C-ECHO; then ct600 (the first 600 after start), ct600b, ct600c (later): inst/s and CPU ms/inst of each
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 TCP_NODELAY=1
L=$1; JAR=$2; shift 2
W=/tmp/perf/warm-$L; rm -rf $W; mkdir -p $W
P=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'); H=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
t0=$(date +%s%N)
STEADFAST_DICOM_MAX_ASSOCIATIONS_PER_HOST=64 $JAVA_HOME/bin/java --enable-native-access=ALL-UNNAMED "$@" -jar $JAR serve --data $W/data --dicom-port $P --http-port $H > $W/log.txt 2>&1 &
SP=$!; n=0; until echoscu -aec STEADFAST -to 1 127.0.0.1 $P >/dev/null 2>&1; do sleep 0.02; n=$((n+1)); [ $n -gt 3000 ] && break; done
t1=$(date +%s%N); cpu() { awk '{print ($14+$15)*10}' /proc/$SP/stat; }
line="$L start $(( (t1-t0)/1000000 ))ms cpu $(cpu)ms"
for d in ct600 ct600b ct600c; do
  c0=$(cpu); r=$($JAVA_HOME/bin/java -cp /tmp/perf/benchmarks.jar dev.steadfast.bench.load.StoreLoad --data /tmp/perf/bench/data/$d --port $P --aet STEADFAST --assocs ${ASSOCS:-1} --sender storescu | sed -n 's/.*: \([0-9.]*\) instances\/s.*/\1/p'); c1=$(cpu)
  line="$line | $d $r inst/s $(awk "BEGIN{printf \"%.2f\", ($c1-$c0)/600}")ms/inst"
done
echo "$line $(cut -d' ' -f1 /proc/loadavg)"
kill $SP; wait $SP 2>/dev/null
