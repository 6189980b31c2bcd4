#!/bin/bash
# Round six, part two: as round6.sh plus serve:w12 = the branch with 12 warm-up rounds instead of 40
# (-Dsteadfast.imaging.warm-up-rounds=12). Retrains the branch's AOT cache first (the jar changed).
cd /tmp/r7
if [ "$1" = train ]; then ./train2.sh; shift; fi
A="-XX:AOTCache=/tmp/r7/br.aot -Xlog:aot*=off -Xlog:cds*=off"
P=(-Dbench.serve.main.jar=/tmp/r7/main.jar "-Dbench.serve.main.jvm=-XX:AOTCache=/tmp/r7/main.aot -Xlog:aot*=off -Xlog:cds*=off"
   -Dbench.serve.branch.jar=/tmp/r7/br.jar "-Dbench.serve.branch.jvm=$A"
   -Dbench.serve.w12.jar=/tmp/r7/br.jar "-Dbench.serve.w12.jvm=$A -Dsteadfast.imaging.warm-up-rounds=12"
   -Dbench.serve.nowarm.jar=/tmp/r7/br.jar "-Dbench.serve.nowarm.jvm=$A" -Dbench.serve.nowarm.env=STEADFAST_IMAGING_WARM_UP=false)
orders=("serve:main,serve:branch,serve:w12,serve:nowarm,orthanc" "orthanc,serve:nowarm,serve:w12,serve:branch,serve:main"
        "serve:w12,orthanc,serve:main,serve:nowarm,serve:branch" "serve:nowarm,serve:branch,orthanc,serve:main,serve:w12")
for i in $(seq ${1:-4} ${2:-6}); do
  ./run.sh run$i.log r$i "${P[@]}" -- --peers ${orders[$((i-4))]} --what rendered --rendered 300
done
