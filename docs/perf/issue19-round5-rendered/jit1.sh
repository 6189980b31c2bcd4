#!/bin/bash
# JIT activity of main + AOT cache over 400 rendered and 400 thumbnails (compilations, deopts, thread CPU)
cd /tmp/r5
( sleep 5; for i in $(seq 1 200); do p=$(./findserve.sh /tmp/r5/main.jar); [ -n "$p" ] && break; sleep 0.5; done
  python3 threads.py $p 2 200 > threads-jit1.txt 2>/dev/null ) &
./run.sh jit1.log j1 -Dbench.serve.mainaot.jar=/tmp/r5/main.jar "-Dbench.serve.mainaot.jvm=-XX:AOTCache=/tmp/r5/main.aot -Xlog:aot*=off -Xlog:cds*=off -Xlog:jit+compilation=debug,deoptimization=debug:file=/tmp/r5/jit1-xlog.txt:uptime -XX:StartFlightRecording=filename=/tmp/r5/jit1.jfr,settings=profile,jdk.Compilation#threshold=0ms" -- --peers serve:mainaot,orthanc --what rendered --rendered 400
wait
