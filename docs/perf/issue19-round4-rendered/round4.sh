#!/bin/bash
# one locked session: train b2's AOT cache as the launcher would (first serve of the jar), then two A/B runs
cd /tmp/r4
./run.sh train-b2.log t3 -Dbench.serve.btrain.jar=/tmp/r4/b2.jar "-Dbench.serve.btrain.jvm=-XX:AOTCacheOutput=/tmp/r4/b2.aot -Xlog:aot*=off -Xlog:cds*=off" -- --peers serve:btrain --what rendered --rendered 30
P=(-Dbench.serve.main.jar=/tmp/r4/main.jar -Dbench.serve.branch.jar=/tmp/r4/b2.jar
   -Dbench.serve.mainaot.jar=/tmp/r4/main.jar "-Dbench.serve.mainaot.jvm=-XX:AOTCache=/tmp/r4/main.aot -Xlog:aot*=off -Xlog:cds*=off"
   -Dbench.serve.branchaot.jar=/tmp/r4/b2.jar "-Dbench.serve.branchaot.jvm=-XX:AOTCache=/tmp/r4/b2.aot -Xlog:aot*=off -Xlog:cds*=off")
./run.sh run3.log r3 "${P[@]}" -- --peers serve:main,serve:branch,serve:mainaot,serve:branchaot,orthanc --what rendered --rendered 150
./run.sh run4.log r4 "${P[@]}" -- --peers orthanc,serve:branchaot,serve:mainaot,serve:branch,serve:main --what rendered --rendered 150
