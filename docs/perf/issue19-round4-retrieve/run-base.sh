#!/bin/bash
# Baseline: main jar without / with the AOT cache, and Orthanc, 25 rounds, move+get.
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 TCP_NODELAY=1
cd /tmp/move4
rm -rf work-base; mkdir -p work-base
uptime
$JAVA_HOME/bin/java --enable-native-access=ALL-UNNAMED -Dbench.serve.main.jar=/tmp/move4/main.jar \
  -Dbench.serve.aot.jar=/tmp/move4/main.jar "-Dbench.serve.aot.jvm=-XX:AOTCache=/tmp/move4/main.aot -Xlog:aot*=off -Xlog:cds*=off" \
  -cp benchmarks-main.jar dev.steadfast.bench.retrieve.RetrieveBench --ct /tmp/retrieve-h/bench/data/ct --work /tmp/move4/work-base \
  --peers serve:main,serve:aot,orthanc --repeats 25 --what move,get 2>&1 | grep -v '^\['
uptime
