#!/usr/bin/env bash
# WADO-RS series metadata of a 1,000-instance series (what a viewer reads before it shows anything):
# Steadfast's DICOMweb vs Orthanc's DICOMweb plugin, the same series stored in both, in the same run (issue 16).
#   bench/series-metadata.sh                       # 1000 instances, 3 rounds of 10 requests
#   JAVA_OPTS="-Dbench.instances=2000" bench/series-metadata.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
build
# shellcheck disable=SC2086
"$JAVA" --enable-native-access=ALL-UNNAMED ${JAVA_OPTS:-} -cp "$JAR" dev.steadfast.bench.web.SeriesMetadataBench \
    "${STEADFAST_TESTDATA:-$ROOT/../shared/testdata/dicom}" 2>&1 | grep --line-buffered -v '^\[' | tee "$RESULTS/series-metadata.log"
