#!/bin/bash
# Round five, before/after in the same locked runs: main's jar vs the branch's, each with its AOT cache
# (trained as the launcher trains it: the jar's first serve, 30 rendered + 30 thumbnails), vs Orthanc.
cd /tmp/r5
P=(-Dbench.serve.main.jar=/tmp/r5/main.jar "-Dbench.serve.main.jvm=-XX:AOTCache=/tmp/r5/main.aot -Xlog:aot*=off -Xlog:cds*=off"
   -Dbench.serve.branch.jar=/tmp/r5/b2.jar "-Dbench.serve.branch.jvm=-XX:AOTCache=/tmp/r5/b2.aot -Xlog:aot*=off -Xlog:cds*=off")
C=(--rendered-clients 2,4 --rendered-per-client 25 --rendered-rounds 4)
[ "$1" = 3 ] || ./run.sh run1.log r1 "${P[@]}" -- --peers serve:main,serve:branch,orthanc --what rendered --rendered 150 "${C[@]}"
[ "$1" = 3 ] || ./run.sh run2.log r2 "${P[@]}" -- --peers orthanc,serve:branch,serve:main --what rendered --rendered 150 "${C[@]}"
./run.sh run3.log r3 "${P[@]}" -- --peers serve:branch,orthanc,serve:main --what rendered --rendered 300 "${C[@]}"
