#!/bin/bash
# Brief point 2, one try: lower C2 thresholds (Tier4InvocationThreshold 5000 -> 2000, Tier4MinInvocationThreshold
# 600 -> 300, Tier4CompileThreshold 15000 -> 5000) on the branch (warm-up on), same jar and AOT cache, vs Orthanc.
cd /tmp/r7
A="-XX:AOTCache=/tmp/r7/br.aot -Xlog:aot*=off -Xlog:cds*=off"
F="-XX:Tier4InvocationThreshold=2000 -XX:Tier4MinInvocationThreshold=300 -XX:Tier4CompileThreshold=5000"
P=(-Dbench.serve.branch.jar=/tmp/r7/br.jar "-Dbench.serve.branch.jvm=$A"
   -Dbench.serve.c2early.jar=/tmp/r7/br.jar "-Dbench.serve.c2early.jvm=$A $F")
./run.sh run11.log r11 "${P[@]}" -- --peers serve:c2early,serve:branch,orthanc --what rendered --rendered 300
./run.sh run12.log r12 "${P[@]}" -- --peers orthanc,serve:branch,serve:c2early --what rendered --rendered 300
