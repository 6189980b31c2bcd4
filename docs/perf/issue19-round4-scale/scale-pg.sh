#!/usr/bin/env bash
set -e
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
source /tmp/ci-run1/bench/common.sh
D="$BENCH_DIR/scale"
PG_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/steadfast_scale"
date; uptime
"$JAVA" --enable-native-access=ALL-UNNAMED -cp "$JAR" dev.steadfast.bench.seed.BulkSeeder \
    --index "$PG_URL" --pg-dir "$D/pg" --pg-port "$PG_PORT" --instances 2000000 --batch 50000 2>&1 | grep -v '^\[' | tail -3
date; uptime
flock /work/bench.lock "$JAVA" --enable-native-access=ALL-UNNAMED -cp "$JAR" dev.steadfast.bench.query.ScaleBench \
    --work "$D/work" --index "$PG_URL" --pg-dir "$D/pg" --pg-port "$PG_PORT" --data "$D/ct" --warmup "$D/warmup" \
    --assocs 1,4 --rounds 5 --queries 200 --warmup-queries 30 --out /tmp/scale5pg.tsv 2>&1 | grep -v '^\['
date; uptime
