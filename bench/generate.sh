#!/usr/bin/env bash
# The data sets the ingest benchmark sends (deterministic: the printed manifest digests must match docs/PERFORMANCE.md).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
build
generate ct ct 3 1 >/dev/null            # 3 CT studies, 488 instances of 512x512x16 bit (256 MB)
generate small small 400 2 1000 >/dev/null  # 1000 small instances (64x64), 128 studies
generate warmup small 100 99 200 >/dev/null # sent to every peer before each measured run
ls "$BENCH_DIR/data"
