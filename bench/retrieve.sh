#!/usr/bin/env bash
# Start-up time to the first C-ECHO and WADO-RS study retrieve (276 CT instances) vs disk read, serve vs Orthanc.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
"$(dirname "${BASH_SOURCE[0]}")/generate.sh" >/dev/null
run retrieve.RetrieveBench --ct "$BENCH_DIR/data/ct" --work "$BENCH_DIR/work" --peers serve,orthanc --repeats 5 "$@" \
    2>&1 | grep -v '^\[' | tee "$RESULTS/retrieve.log"
