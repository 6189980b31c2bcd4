#!/bin/bash
cd /tmp/r7
rm -f br.aot br.aot.config
./run.sh train-br.log tb -Dbench.serve.btrain.jar=/tmp/r7/br.jar "-Dbench.serve.btrain.jvm=-XX:AOTCacheOutput=/tmp/r7/br.aot -Xlog:aot*=off -Xlog:cds*=off" -- --peers serve:btrain --what rendered --rendered 30
for i in $(seq 1 60); do [ -s /tmp/r7/br.aot ] && break; sleep 1; done; [ -s /tmp/r7/br.aot ] || /usr/lib/jvm/temurin-25-jdk-amd64/bin/java -XX:AOTMode=create -XX:AOTConfiguration=/tmp/r7/br.aot.config -XX:AOTCache=/tmp/r7/br.aot --enable-native-access=ALL-UNNAMED -cp /tmp/r7/br.jar
ls -la /tmp/r7/*.aot
