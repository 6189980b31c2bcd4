#!/bin/bash
# what the JIT still compiles in serve's third 600 (AOT cache, 4 associations): -XX:+PrintCompilation, lines after a mark
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 TCP_NODELAY=1
J=$JAVA_HOME/bin/java; JAR=$1; AOT=$2; W=/ing4-jit; rm -rf $W
port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
send() { $J -cp /tmp/ing4/benchmarks.jar dev.steadfast.bench.load.StoreLoad --data /tmp/perf/bench/data/$1 --port $2 --aet STEADFAST --assocs 4 --sender storescu | tail -1; }
P=$(port); H=$(port)
STEADFAST_DICOM_MAX_ASSOCIATIONS_PER_HOST=64 $J --enable-native-access=ALL-UNNAMED -XX:AOTCache=$AOT -Xlog:aot*=off -Xlog:cds*=off -XX:+PrintCompilation -jar $JAR serve --data $W --dicom-port $P --http-port $H > /tmp/ing4/res/jit.log 2>&1 &
SP=$!; until echoscu -aec STEADFAST -to 1 127.0.0.1 $P >/dev/null 2>&1; do sleep 0.05; done
send ct600 $P; send ct600b $P; sleep 0.2
n0=$(wc -l < /tmp/ing4/res/jit.log); send ct600c $P; sleep 0.2; n1=$(wc -l < /tmp/ing4/res/jit.log); echo "compile lines before the third 600: $n0, during it: $((n1-n0))"; tail -n +$((n0+1)) /tmp/ing4/res/jit.log | head -n $((n1-n0)) > /tmp/ing4/res/jit-third.log
kill $SP; wait $SP 2>/dev/null; rm -rf $W
