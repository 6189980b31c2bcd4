#!/bin/bash
# 2,000 rendered frames per peer (instances repeat after 276: re-reads are CRC32C-checked), JIT share over time
cd /tmp/r5
( sleep 3; for i in $(seq 1 200); do p=$(./findserve.sh /tmp/r5/b2.jar); [ -n "$p" ] && break; sleep 0.5; done
  python3 threads.py $p 5 200 > threads-long.txt 2>/dev/null ) &
./run.sh run4-long.log r4 -Dbench.serve.branch.jar=/tmp/r5/b2.jar "-Dbench.serve.branch.jvm=-XX:AOTCache=/tmp/r5/b2.aot -Xlog:aot*=off -Xlog:cds*=off" -- --peers serve:branch,orthanc --what rendered --rendered 2000
wait
