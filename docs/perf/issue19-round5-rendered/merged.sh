#!/bin/bash
# after merging main (f4bcdefa: health5's bounded heap share for whole objects etc.): merged branch vs the measured branch vs Orthanc
cd /tmp/r5
./run.sh run6-merged.log r6 -Dbench.serve.branch.jar=/tmp/r5/b2.jar "-Dbench.serve.branch.jvm=-XX:AOTCache=/tmp/r5/b2.aot -Xlog:aot*=off -Xlog:cds*=off" \
  -Dbench.serve.merged.jar=/tmp/r5/b3.jar "-Dbench.serve.merged.jvm=-XX:AOTCache=/tmp/r5/b3.aot -Xlog:aot*=off -Xlog:cds*=off" \
  -- --peers serve:merged,orthanc,serve:branch --what rendered --rendered 300 --rendered-clients 4 --rendered-per-client 25 --rendered-rounds 4
