#!/bin/bash
# The warm-up's own cost on an idle node: serve (branch jar + its AOT cache) started on an empty data folder with
# the warm-up on and off, alternately; time to /health answering, then the process's CPU in the 10 s after that.
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
J=$JAVA_HOME/bin/java; TCK=$(getconf CLK_TCK)
port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
cpu() { awk -v t=$TCK '{print ($14+$15)*1000/t}' /proc/$1/stat; }
echo "# load start: $(cat /proc/loadavg) $(date -u +%T)"
for rep in 1 2 3; do for w in true false; do
  W=/tmp/r7/idle-$w; rm -rf $W; P=$(port); H=$(port)
  t0=$(date +%s%N)
  STEADFAST_IMAGING_WARM_UP=$w $J --enable-native-access=ALL-UNNAMED -XX:AOTCache=/tmp/r7/br.aot -Xlog:aot*=off -Xlog:cds*=off \
     -jar /tmp/r7/br.jar serve --data $W --dicom-port $P --http-port $H > $W.log 2>&1 &
  SP=$!
  until curl -sf -o /dev/null http://127.0.0.1:$H/health; do sleep 0.02; done
  t1=$(date +%s%N); c1=$(cpu $SP); sleep 10; c2=$(cpu $SP)
  echo "warm-up=$w rep=$rep ready_ms=$(( (t1-t0)/1000000 )) cpu_at_ready_ms=$c1 cpu_next_10s_ms=$(echo "$c2 - $c1" | bc) $(grep -o 'render warm-up:.*' $W.log)"
  kill $SP; wait $SP 2>/dev/null; rm -rf $W $W.log
done; done
echo "# load end: $(cat /proc/loadavg) $(date -u +%T)"
