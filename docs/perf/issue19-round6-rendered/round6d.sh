#!/bin/bash
# Round six, part four (runs 9-10, quieter machine; same as round6.sh, orders 4 and 5):  main's jar vs the branch's (warm-up on, the default) vs the branch's with imaging.warm-up=false,
# each with its AOT cache trained as the launcher trains it, vs Orthanc; one client, 300 rendered + 300 thumbnails
# after a fresh start, peers in rotated orders.
cd /tmp/r7
P=(-Dbench.serve.main.jar=/tmp/r7/main.jar "-Dbench.serve.main.jvm=-XX:AOTCache=/tmp/r7/main.aot -Xlog:aot*=off -Xlog:cds*=off"
   -Dbench.serve.branch.jar=/tmp/r7/br.jar "-Dbench.serve.branch.jvm=-XX:AOTCache=/tmp/r7/br.aot -Xlog:aot*=off -Xlog:cds*=off"
   -Dbench.serve.nowarm.jar=/tmp/r7/br.jar "-Dbench.serve.nowarm.jvm=-XX:AOTCache=/tmp/r7/br.aot -Xlog:aot*=off -Xlog:cds*=off"
   -Dbench.serve.nowarm.env=STEADFAST_IMAGING_WARM_UP=false)
first=${1:-1}
orders=("serve:main,serve:branch,serve:nowarm,orthanc" "orthanc,serve:nowarm,serve:branch,serve:main"
        "serve:branch,orthanc,serve:main,serve:nowarm" "serve:nowarm,serve:main,orthanc,serve:branch"
        "serve:main,orthanc,serve:branch,serve:nowarm")
for i in $(seq $first ${2:-3}); do n=$((i+5))
  ./run.sh run$n.log r$n "${P[@]}" -- --peers ${orders[$((i-1))]} --what rendered --rendered 300
done
