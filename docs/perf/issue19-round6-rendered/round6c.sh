#!/bin/bash
# Round six, part three: 120 warm-up rounds against the default 40 (branch jar, same AOT cache), and Orthanc.
cd /tmp/r7
A="-XX:AOTCache=/tmp/r7/br.aot -Xlog:aot*=off -Xlog:cds*=off"
P=(-Dbench.serve.branch.jar=/tmp/r7/br.jar "-Dbench.serve.branch.jvm=$A"
   -Dbench.serve.w120.jar=/tmp/r7/br.jar "-Dbench.serve.w120.jvm=$A -Dsteadfast.imaging.warm-up-rounds=120")
./run.sh run7.log r7 "${P[@]}" -- --peers serve:w120,serve:branch,orthanc --what rendered --rendered 300
./run.sh run8.log r8 "${P[@]}" -- --peers orthanc,serve:branch,serve:w120 --what rendered --rendered 300
