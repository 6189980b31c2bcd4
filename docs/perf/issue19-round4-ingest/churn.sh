#!/bin/bash
# serve (JAR, its AOT cache), 4 associations: the CPU per instance of ct600b (after ct600 warmed it), with its data folder
# (a) beside a folder whose 1,800 empty files were deleted right before, under /tmp/ing4/churn, or (b) in a new top-level folder;
# alternating, ROUNDS rounds
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 TCP_NODELAY=1
J=$JAVA_HOME/bin/java; JAR=$1; AOT=$2
port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
send() { $J -cp /tmp/ing4/benchmarks.jar dev.steadfast.bench.load.StoreLoad --data /tmp/perf/bench/data/$1 --port $2 --aet STEADFAST --assocs 4 --sender storescu | sed -n 's/.*: \([0-9.]*\) instances\/s.*/\1/p'; }
echo "load start: $(cat /proc/loadavg) $(date -u +%T)"
for r in $(seq ${ROUNDS:-2}); do
 for mode in churned clean; do
  if [ $mode = churned ]; then
    B=/tmp/ing4/churn; mkdir -p $B/old-$r; python3 -c "
import os,sys
for i in range(1800): os.close(os.open('$B/old-$r/f%d' % i, os.O_CREAT|os.O_WRONLY, 0o644))"
    rm -rf $B/old-$r; W=$B/new-$r
  else
    W=/ing4-clean-$r
  fi
  P=$(port); H=$(port); rm -rf $W
  STEADFAST_DICOM_MAX_ASSOCIATIONS_PER_HOST=64 $J --enable-native-access=ALL-UNNAMED -XX:AOTCache=$AOT -Xlog:aot*=off -Xlog:cds*=off -jar $JAR serve --data $W --dicom-port $P --http-port $H > /tmp/ing4/churn-log.txt 2>&1 &
  SP=$!; until echoscu -aec STEADFAST -to 1 127.0.0.1 $P >/dev/null 2>&1; do sleep 0.05; done
  cpu() { awk '{print ($14+$15)*10}' /proc/$SP/stat; }
  send ct600 $P >/dev/null
  c0=$(cpu); rate=$(send ct600b $P); c1=$(cpu)
  echo "round $r $mode: ct600b $rate inst/s, server $(awk "BEGIN{printf \"%.2f\", ($c1-$c0)/599}") ms CPU/inst, load $(cut -d' ' -f1 /proc/loadavg)"
  kill $SP; wait $SP 2>/dev/null
 done
done
echo "load end: $(cat /proc/loadavg) $(date -u +%T)"
