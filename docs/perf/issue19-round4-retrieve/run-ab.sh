#!/bin/bash
# Receiver ceiling, then before/after: main's jar vs the branch's jar (each with its own AOT cache) vs Orthanc.
# usage: run-ab.sh BRANCHJAR BRANCHAOT BENCHJAR ROUNDS
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 TCP_NODELAY=1
cd /tmp/move4
uptime
rm -rf work-ceil; mkdir -p work-ceil
$JAVA_HOME/bin/java --enable-native-access=ALL-UNNAMED -cp $3 dev.steadfast.bench.retrieve.ReceiverCeiling \
  --ct /tmp/retrieve-h/bench/data/ct --work /tmp/move4/work-ceil --repeats 12 2>&1 | grep -v '^\['
uptime
rm -rf work-ab; mkdir -p work-ab
$JAVA_HOME/bin/java --enable-native-access=ALL-UNNAMED \
  -Dbench.serve.main.jar=/tmp/move4/main.jar "-Dbench.serve.main.jvm=-XX:AOTCache=/tmp/move4/main.aot -Xlog:aot*=off -Xlog:cds*=off" \
  -Dbench.serve.branch.jar=$1 "-Dbench.serve.branch.jvm=-XX:AOTCache=$2 -Xlog:aot*=off -Xlog:cds*=off" \
  -cp $3 dev.steadfast.bench.retrieve.RetrieveBench --ct /tmp/retrieve-h/bench/data/ct --work /tmp/move4/work-ab \
  --peers serve:main,serve:branch,orthanc --repeats $4 --what move,get 2>&1 | grep -v '^\['
uptime
