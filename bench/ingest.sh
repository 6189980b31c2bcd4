#!/usr/bin/env bash
# Ingest throughput: storescp, Orthanc (SQLite, PostgreSQL), steadfast serve (SQLite, PostgreSQL); CT and small
# instances; 1, 4 and 16 associations of storescu (TCP_NODELAY=1) and one of storescu with Nagle on.
# Extra arguments go to IngestBench (e.g. --senders storescu,ours --repeats 5 --peers storescp,steadfast).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
"$(dirname "${BASH_SOURCE[0]}")/generate.sh" >/dev/null
D="$BENCH_DIR/data"
run load.IngestBench --data "ct=$D/ct,small=$D/small" --warmup "$D/warmup" --work "$BENCH_DIR/work" \
    --pg-dir "$BENCH_DIR/pg" --pg-port "$PG_PORT" \
    --peers storescp,durable,orthanc,orthanc-pg,serve,serve-pg --assocs 1,4,16 --senders storescu --nagle \
    --repeats 3 --out "$RESULTS/ingest.tsv" "$@" | tee "$RESULTS/ingest.log"
