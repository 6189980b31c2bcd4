#!/usr/bin/env bash
# Peak RSS while ingesting over 16 associations (the ct and small data sets) and answering C-FIND and QIDO-RS at once.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
"$(dirname "${BASH_SOURCE[0]}")/generate.sh" >/dev/null
run load.MixedLoad --data "$BENCH_DIR/data/ct,$BENCH_DIR/data/small" --work "$BENCH_DIR/work" --peers serve,orthanc --assocs 16 "$@" \
    2>&1 | grep --line-buffered -v '^\[' | tee "$RESULTS/mixed.log"
