#!/usr/bin/env bash
# JMH: header parse vs reading the bytes (issue 2); extra arguments go to JMH.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
build
CT="$ROOT/../shared/testdata/dicom/ct/dicomParser__CT1_UNC.explicit_little_endian.dcm"
"$JAVA" -jar "$JAR" CtParseBenchmark -f 1 -wi 3 -i 5 -w 2s -r 3s -p ct="$CT" "$@" | tee "$RESULTS/parse.log"
