#!/usr/bin/env bash
# Issue 19, 2 million instances: seeds an SQLite index and a PostgreSQL database to SCALE instances
# (BulkSeeder, niced, resumable), then per database ScaleBench: 600 CT over 1 and 4 associations into the
# seeded index and into an empty one, alternating (3 rounds), then C-FIND/QIDO-RS latency on the seeded one.
# The measured part runs under $BENCH_LOCK when set (this machine: BENCH_LOCK=/work/bench.lock).
# Needs about 3 GB per database under $BENCH_DIR/scale. Extra arguments go to ScaleBench.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
build
SCALE="${SCALE:-2000000}"
D="$BENCH_DIR/scale"
PG_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/steadfast_scale"
mkdir -p "$D/sqlite"
# Data sent: seed 19 (the seeder's is 1: its UIDs must not repeat the index's).
[ -f "$D/ct/manifest.tsv" ] || run data.Generate --out "$D/ct" --profile ct --studies 4 --seed 19 --max-instances 600
[ -f "$D/warmup/manifest.tsv" ] || run data.Generate --out "$D/warmup" --profile small --studies 100 --seed 98 --max-instances 200
nice -n 10 "$JAVA" --enable-native-access=ALL-UNNAMED -cp "$JAR" dev.steadfast.bench.seed.BulkSeeder \
    --index "jdbc:sqlite:$D/sqlite/index.db" --instances "$SCALE" --batch 50000 2>&1 | grep -v '^\[' | tee -a "$RESULTS/scale-seed.log"
nice -n 10 "$JAVA" --enable-native-access=ALL-UNNAMED -cp "$JAR" dev.steadfast.bench.seed.BulkSeeder \
    --index "$PG_URL" --pg-dir "$D/pg" --pg-port "$PG_PORT" --instances "$SCALE" --batch 50000 2>&1 | grep -v '^\[' \
    | tee -a "$RESULTS/scale-seed.log"
LOCK=(); [ -n "${BENCH_LOCK:-}" ] && LOCK=(flock "$BENCH_LOCK")
for INDEX in "jdbc:sqlite:$D/sqlite/index.db" "$PG_URL"; do
    "${LOCK[@]}" "$JAVA" --enable-native-access=ALL-UNNAMED -cp "$JAR" dev.steadfast.bench.query.ScaleBench \
        --work "$D/work" --index "$INDEX" --pg-dir "$D/pg" --pg-port "$PG_PORT" --data "$D/ct" --warmup "$D/warmup" \
        --assocs 1,4 --rounds 3 --queries 200 --warmup-queries 30 --out "$RESULTS/scale.tsv" "$@" 2>&1 | grep -v '^\[' \
        | tee -a "$RESULTS/scale.log"
done
