#!/usr/bin/env bash
# usage: perfop.sh OP  -- serve:after only, --what OP, 12 rounds; perf record of serve during the rounds
cd /tmp/move3
OP=$1; LOG=/tmp/move3/perf-$OP.log
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 TCP_NODELAY=1
uptime > $LOG
$JAVA_HOME/bin/java --enable-native-access=ALL-UNNAMED -Dbench.serve.after.jar=/tmp/move3/after.jar \
  "-Dbench.serve.after.jvm=-XX:+PreserveFramePointer" \
  -cp /tmp/move3/benchmarks.jar dev.steadfast.bench.retrieve.RetrieveBench \
  --ct /tmp/retrieve-h/bench/data/ct --work /tmp/move3/bench/work --peers serve:after --repeats 12 --what $OP > $LOG.raw 2>&1 &
BENCH=$!
until grep -q "loaded" $LOG.raw 2>/dev/null; do sleep 0.2; kill -0 $BENCH 2>/dev/null || break; done
PID=$(pgrep -f "after.jar" | while read p; do [ "$(ps -o comm= -p $p)" = java ] && echo $p; done | grep -vx $BENCH | head -1)
echo "serve pid $PID" >> $LOG
perf record -F 499 -g -p $PID -o /tmp/move3/perf-$OP.data -- sleep 6 >> $LOG 2>&1
wait $BENCH
grep -v '^\[' $LOG.raw >> $LOG
uptime >> $LOG
