#!/bin/bash
# 2,000 rendered frames and thumbnails per peer, main and branch (each with its AOT cache) and Orthanc
cd /tmp/r5
./run.sh run5-long.log r5 -Dbench.serve.main.jar=/tmp/r5/main.jar "-Dbench.serve.main.jvm=-XX:AOTCache=/tmp/r5/main.aot -Xlog:aot*=off -Xlog:cds*=off" \
  -Dbench.serve.branch.jar=/tmp/r5/b2.jar "-Dbench.serve.branch.jvm=-XX:AOTCache=/tmp/r5/b2.aot -Xlog:aot*=off -Xlog:cds*=off" \
  -- --peers orthanc,serve:main,serve:branch --what rendered --rendered 2000 --rendered-clients 4 --rendered-per-client 25 --rendered-rounds 4
