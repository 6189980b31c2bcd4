#!/usr/bin/env bash
# C-FIND and QIDO-RS latency at 10k and 100k instances on SQLite and PostgreSQL, and Orthanc at the same
# scales. For 1M: bench/query.sh --scales 10000,100000,1000000 (about 25 min of seeding per database here).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
build
run query.QueryBench --work "$BENCH_DIR/work" --pg-dir "$BENCH_DIR/pg" --pg-port "$PG_PORT" \
    --dbs sqlite,pg --scales 10000,100000 --orthanc-scales 10000,100000 --queries 200 --warmup 30 \
    --out "$RESULTS/query.tsv" "$@" 2>&1 | grep -v '^\[' | tee "$RESULTS/query.log"
