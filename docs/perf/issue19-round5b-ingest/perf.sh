#!/bin/bash
# profile of serve at 4 associations: NAME's jar and AOT cache (/tmp/ing6/NAME.jar, .aot), perf record -g (kernel stacks)
# (jdk.CPUTimeSample every 2 ms of CPU), warm-up set then the measured 600 CT instances; per-thread CPU from /proc
# after the run (virtual threads show as their carriers, ForkJoinPool-*-worker-*)
set -u
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 TCP_NODELAY=1
J=$JAVA_HOME/bin/java; NAME=$1; W=/ing6-prof; OUT=/tmp/ing6/res/perf-$NAME
port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
P=$(port); H=$(port); rm -rf $W
$J --enable-native-access=ALL-UNNAMED -XX:AOTCache=/tmp/ing6/$NAME.aot -Xlog:aot*=off -Xlog:cds*=off \
   -jar /tmp/ing6/$NAME.jar serve --data $W --dicom-port $P --http-port $H > $OUT.serve.log 2>&1 &
SP=$!; until echoscu -aec STEADFAST -to 1 127.0.0.1 $P >/dev/null 2>&1; do sleep 0.05; done
$J -cp /tmp/ing6/benchmarks.jar dev.steadfast.bench.load.StoreLoad --data /tmp/perf/bench/data/warmup --port $P --aet STEADFAST --assocs 4 --sender storescu | tail -1
for t in /proc/$SP/task/*; do echo "$(cat $t/comm)|$(cut -d' ' -f14,15 $t/stat)"; done > $OUT.before
perf record -g -F 499 -p $SP -o $OUT.perf.data > /dev/null 2>&1 & PP=$!
$J -cp /tmp/ing6/benchmarks.jar dev.steadfast.bench.load.StoreLoad --data /tmp/perf/bench/data/ct600 --port $P --aet STEADFAST --assocs 4 --sender storescu | tail -1
kill -INT $PP; wait $PP
for t in /proc/$SP/task/*; do echo "$(cat $t/comm)|$(cut -d' ' -f14,15 $t/stat)"; done > $OUT.after
kill $SP; wait $SP; rm -rf $W
python3 - $OUT <<'PY'
import sys, collections, re
o = sys.argv[1]
def load(f):
    d = collections.Counter()
    for l in open(f):
        n, t = l.rstrip("\n").rsplit("|", 1); u, s = map(int, t.split())
        d[re.sub(r"\d+", "N", n)] += u + s
    return d
b, a = load(o + ".before"), load(o + ".after")
tot = sum(a.values()) - sum(b.values())
print(f"process CPU during the 600: {tot*10} ms, {tot*10/600:.2f} ms/inst")
for k in sorted(a, key=lambda k: b[k] - a[k])[:12]:
    print(f"  {k:32s} {(a[k]-b[k])*10/600:5.2f} ms/inst")
PY
