#!/bin/bash
# first minute vs steady state (issue 19): train the AOT cache once by a serve that ingests the warm-up set,
# then ROUNDS x: a fresh serve with the cache (and, alternating, without), ct600 = the first 600 after start,
# then ct600b, ct600c; inst/s and CPU ms/inst of each set.
set -u
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 TCP_NODELAY=1
J=$JAVA_HOME/bin/java; JAR=/tmp/warm/serve.jar; AOT=/tmp/warm/serve.aot
port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
send() { $J -cp /tmp/perf/benchmarks.jar dev.steadfast.bench.load.StoreLoad --data /tmp/perf/bench/data/$1 --port $2 --aet STEADFAST --assocs ${ASSOCS:-1} --sender storescu | sed -n 's/.*: \([0-9.]*\) instances\/s.*/\1/p'; }
if [ ! -s $AOT ]; then
  P=$(port); H=$(port); rm -rf /tmp/warm/train
  $J --enable-native-access=ALL-UNNAMED -XX:AOTCacheOutput=$AOT -Xlog:aot*=off -Xlog:cds*=off -jar $JAR serve --data /tmp/warm/train --dicom-port $P --http-port $H > /tmp/warm/train.log 2>&1 &
  SP=$!; until echoscu -aec STEADFAST -to 1 127.0.0.1 $P >/dev/null 2>&1; do sleep 0.05; done
  send warmup $P >/dev/null; kill $SP; wait $SP
fi
for r in $(seq ${ROUNDS:-4}); do
 for mode in aot none; do
  opts=(); [ $mode = aot ] && opts=(-XX:AOTCache=$AOT -Xlog:aot*=off -Xlog:cds*=off)
  P=$(port); H=$(port); W=/tmp/warm/w-$mode; rm -rf $W
  t0=$(date +%s%N)
  STEADFAST_DICOM_MAX_ASSOCIATIONS_PER_HOST=64 $J --enable-native-access=ALL-UNNAMED "${opts[@]}" -jar $JAR serve --data $W --dicom-port $P --http-port $H > /tmp/warm/log-$mode.txt 2>&1 &
  SP=$!; until echoscu -aec STEADFAST -to 1 127.0.0.1 $P >/dev/null 2>&1; do sleep 0.01; done
  t1=$(date +%s%N); cpu() { awk '{print ($14+$15)*10}' /proc/$SP/stat; }
  line="$mode start $(( (t1-t0)/1000000 ))ms cpu $(cpu)ms"
  for d in ct600 ct600b ct600c; do
    c0=$(cpu); rate=$(send $d $P); c1=$(cpu)
    line="$line | $d $rate inst/s $(awk "BEGIN{printf \"%.2f\", ($c1-$c0)/600}")ms/inst"
  done
  echo "$line load $(cut -d' ' -f1 /proc/loadavg)"
  kill $SP; wait $SP 2>/dev/null
 done
done
