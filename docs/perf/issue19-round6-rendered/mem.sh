#!/bin/bash
# Where the warm-up's extra resident memory is: idle node (branch jar + AOT cache), warm-up on and off,
# VmRSS / VmHWM and NMT summary 10 s after /health answers.
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
J=$JAVA_HOME/bin/java
port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
echo "# load start: $(cat /proc/loadavg) $(date -u +%T)"
for w in true false; do
  W=/tmp/r7/mem-$w; rm -rf $W; P=$(port); H=$(port)
  STEADFAST_IMAGING_WARM_UP=$w $J --enable-native-access=ALL-UNNAMED -XX:AOTCache=/tmp/r7/br.aot -Xlog:aot*=off -Xlog:cds*=off \
     -XX:NativeMemoryTracking=summary -jar /tmp/r7/br.jar serve --data $W --dicom-port $P --http-port $H > $W.log 2>&1 &
  SP=$!
  until curl -sf -o /dev/null http://127.0.0.1:$H/health; do sleep 0.05; done
  sleep 10
  echo "== warm-up=$w: $(grep -E 'VmRSS|VmHWM' /proc/$SP/status | tr -s ' \n' ' ')"
  $JAVA_HOME/bin/jcmd $SP VM.native_memory summary | grep -E "^-|Total|committed" | grep -E "Total|Java Heap|Class|Thread|Code|GC|Compiler|Internal|Other|Arena|Metaspace" | head -14
  kill $SP; wait $SP 2>/dev/null; rm -rf $W $W.log
done
echo "# load end: $(cat /proc/loadavg) $(date -u +%T)"
