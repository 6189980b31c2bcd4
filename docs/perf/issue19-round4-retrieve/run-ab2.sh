#!/bin/bash
# Before/after with C-MOVE over 2 associations too: main vs branch vs branch (2 associations) vs Orthanc, AOT caches.
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 TCP_NODELAY=1
cd /tmp/move4
uptime
rm -rf work-ab; mkdir -p work-ab
A="-Xlog:aot*=off -Xlog:cds*=off"
$JAVA_HOME/bin/java --enable-native-access=ALL-UNNAMED \
  -Dbench.serve.main.jar=/tmp/move4/main.jar "-Dbench.serve.main.jvm=-XX:AOTCache=/tmp/move4/main.aot $A" \
  -Dbench.serve.branch.jar=/tmp/move4/branch2.jar "-Dbench.serve.branch.jvm=-XX:AOTCache=/tmp/move4/branch2.aot $A" \
  -Dbench.serve.branch2a.jar=/tmp/move4/branch2.jar "-Dbench.serve.branch2a.jvm=-XX:AOTCache=/tmp/move4/branch2.aot $A" \
  -Dbench.serve.branch2a.move-associations=2 \
  -cp benchmarks-branch3.jar dev.steadfast.bench.retrieve.RetrieveBench --ct /tmp/retrieve-h/bench/data/ct --work /tmp/move4/work-ab \
  --peers serve:main,serve:branch,serve:branch2a,orthanc --repeats 25 --what move,get 2>&1 | grep -v '^\['
uptime
