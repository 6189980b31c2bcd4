#!/usr/bin/env bash
# SQLite half of bench/scale.sh, 5 rounds, on the CI clone's jars (quiet-machine rerun, fifth session)
set -e
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
source /tmp/ci-run1/bench/common.sh
D="$BENCH_DIR/scale"; mkdir -p "$D/sqlite"
[ -f "$D/ct/manifest.tsv" ] || run data.Generate --out "$D/ct" --profile ct --studies 4 --seed 19 --max-instances 600
[ -f "$D/warmup/manifest.tsv" ] || run data.Generate --out "$D/warmup" --profile small --studies 100 --seed 98 --max-instances 200
date; uptime
"$JAVA" --enable-native-access=ALL-UNNAMED -cp "$JAR" dev.steadfast.bench.seed.BulkSeeder \
    --index "jdbc:sqlite:$D/sqlite/index.db" --instances 2000000 --batch 50000 2>&1 | grep -v '^\[' | tail -3
date; uptime
flock /work/bench.lock "$JAVA" --enable-native-access=ALL-UNNAMED -cp "$JAR" dev.steadfast.bench.query.ScaleBench \
    --work "$D/work" --index "jdbc:sqlite:$D/sqlite/index.db" --pg-dir "$D/pg" --pg-port "$PG_PORT" --data "$D/ct" --warmup "$D/warmup" \
    --assocs 1,4 --rounds 5 --queries 200 --warmup-queries 30 --out /tmp/scale5.tsv 2>&1 | grep -v '^\['
date; uptime
