#!/bin/bash
cd /tmp/r4
./run.sh train-b3.log t4 -Dbench.serve.btrain.jar=/tmp/r4/b3.jar "-Dbench.serve.btrain.jvm=-XX:AOTCacheOutput=/tmp/r4/b3.aot -Xlog:aot*=off -Xlog:cds*=off" -- --peers serve:btrain --what rendered --rendered 30
P=(-Dbench.serve.main.jar=/tmp/r4/main.jar -Dbench.serve.branch.jar=/tmp/r4/b3.jar
   -Dbench.serve.mainaot.jar=/tmp/r4/main.jar "-Dbench.serve.mainaot.jvm=-XX:AOTCache=/tmp/r4/main.aot -Xlog:aot*=off -Xlog:cds*=off"
   -Dbench.serve.branchaot.jar=/tmp/r4/b3.jar "-Dbench.serve.branchaot.jvm=-XX:AOTCache=/tmp/r4/b3.aot -Xlog:aot*=off -Xlog:cds*=off")
./run.sh run5.log r5 "${P[@]}" -- --peers serve:main,serve:branch,serve:mainaot,serve:branchaot,orthanc --what rendered --rendered 150
./run.sh run6.log r6 "${P[@]}" -- --peers orthanc,serve:branchaot,serve:mainaot,serve:branch,serve:main --what rendered --rendered 150
./run.sh run7.log r7 "${P[@]}" -- --peers serve:mainaot,orthanc,serve:branchaot --what rendered --rendered 500
