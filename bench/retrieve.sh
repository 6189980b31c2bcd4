#!/usr/bin/env bash
# Start-up to the first C-ECHO; WADO-RS study retrieve (276 CT instances) vs reading the files and, by curl,
# vs Jetty's ResourceHandler serving the same stored files (static, issue 19), WADO-RS
# metadata, rendered/thumbnail latency, C-MOVE to storescp and C-GET by getscu (vs storescu -> storescp),
# serve vs Orthanc. To compare code or options in the same run, add serve:LABEL peers, e.g.
#   JAVA_OPTS="-Dbench.serve.base.jar=/tmp/old-steadfast.jar -Dbench.serve.never.env=STEADFAST_RETRIEVE_VERIFY=never" \
#     bench/retrieve.sh --peers serve:base,serve,serve:never,orthanc
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
"$(dirname "${BASH_SOURCE[0]}")/generate.sh" >/dev/null
# shellcheck disable=SC2086
"$JAVA" --enable-native-access=ALL-UNNAMED ${JAVA_OPTS:-} -cp "$JAR" dev.steadfast.bench.retrieve.RetrieveBench \
    --ct "$BENCH_DIR/data/ct" --work "$BENCH_DIR/work" --peers serve,orthanc --repeats 7 "$@" \
    2>&1 | grep --line-buffered -v '^\[' | tee "$RESULTS/retrieve.log"
