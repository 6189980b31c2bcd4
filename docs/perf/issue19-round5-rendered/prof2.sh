#!/bin/bash
cd /tmp/r5
( sleep 3; for i in $(seq 1 200); do p=$(./findserve.sh /tmp/r5/b2.jar); [ -n "$p" ] && break; sleep 0.5; done
  python3 threads.py $p 2 200 > threads-b2.txt 2>/dev/null ) &
./run.sh prof2.log p2 -Dbench.serve.b2aot.jar=/tmp/r5/b2.jar "-Dbench.serve.b2aot.jvm=-XX:AOTCache=/tmp/r5/b2.aot -Xlog:aot*=off -Xlog:cds*=off -XX:StartFlightRecording=filename=/tmp/r5/prof2.jfr,settings=profile,jdk.CPUTimeSample#enabled=true,jdk.CPUTimeSample#throttle=1ms" -- --peers serve:b2aot --what rendered --rendered 400
wait
