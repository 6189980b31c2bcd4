#!/bin/bash
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 TCP_NODELAY=1
cd /tmp/move4; uptime; rm -rf work-np; mkdir -p work-np
$JAVA_HOME/bin/java --enable-native-access=ALL-UNNAMED -cp benchmarks-np.jar dev.steadfast.bench.retrieve.ReceiverCeiling \
  --ct /tmp/retrieve-h/bench/data/ct --work /tmp/move4/work-np --repeats 12 2>&1 | grep -v '^\['
uptime
