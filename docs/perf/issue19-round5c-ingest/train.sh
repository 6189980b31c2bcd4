#!/bin/bash
# train the launcher's AOT cache for JAR (as ./steadfast does: the first serve writes it at exit), ingesting the warm-up set
set -u
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 TCP_NODELAY=1
J=$JAVA_HOME/bin/java; JAR=$1; AOT=$2; W=/tmp/ing7/train-$$
port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
P=$(port); H=$(port); rm -rf $W
nice -n 10 $J --enable-native-access=ALL-UNNAMED -XX:AOTCacheOutput=$AOT -Xlog:aot*=off -Xlog:cds*=off -jar $JAR serve --data $W --dicom-port $P --http-port $H > $W.log 2>&1 &
SP=$!; until echoscu -aec STEADFAST -to 1 127.0.0.1 $P >/dev/null 2>&1; do sleep 0.05; done
$J -cp /tmp/ing7/benchmarks.jar dev.steadfast.bench.load.StoreLoad --data /tmp/perf/bench/data/warmup --port $P --aet STEADFAST --assocs 2 --sender storescu | tail -1
kill $SP; wait $SP; rm -rf $W; ls -la $AOT
