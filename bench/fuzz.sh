#!/usr/bin/env bash
# Coverage-guided fuzzing (Jazzer) of the parsers that take bytes from the network or from media
# (issue 14). `./mvnw verify` only replays the committed inputs; this script fuzzes for real.
#
#   bench/fuzz.sh                 every target, for the maxDuration of its @FuzzTest (5 minutes)
#   bench/fuzz.sh part10File      one target (its method name)
#   bench/fuzz.sh --keep ...      then copy the inputs that reached new code into the committed corpus
#
# A finding (an exception other than the parser's documented one, an Error such as OutOfMemoryError
# from a trusted length, or a timeout) stops that target, is written as crash-<sha1> into the
# target's committed Inputs folder (so it replays in every test run until fixed), and the script
# exits 1. The working corpus grows under <module>/.cifuzz-corpus/ (not committed).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

keep=false
if [ "${1:-}" = "--keep" ]; then keep=true; shift; fi
only="${1:-}"

# module, test class (fully qualified), method
TARGETS=(
  "steadfast-dicom dev.steadfast.dicom.fuzz.DicomReaderFuzzTest part10File"
  "steadfast-dicom dev.steadfast.dicom.fuzz.DicomReaderFuzzTest dataSetInTransferSyntax"
  "steadfast-dicom dev.steadfast.dicom.fuzz.DicomJsonReaderFuzzTest jsonArrayOfDataSets"
  "steadfast-net dev.steadfast.net.fuzz.PduReaderFuzzTest pduStream"
  "steadfast-web dev.steadfast.web.fuzz.MultipartReaderFuzzTest stowBody"
  "steadfast-web dev.steadfast.web.fuzz.QidoQueryFuzzTest queryParameters"
)

if [ -z "${JAVA_HOME:-}" ] && [ -d /usr/lib/jvm/temurin-25-jdk-amd64 ]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi

failed=0
for t in "${TARGETS[@]}"; do
  read -r module class method <<<"$t"
  if [ -n "$only" ] && [ "$only" != "$method" ]; then continue; fi
  echo "== fuzzing $class#$method"
  # -Xmx keeps a trusted bogus length an OutOfMemoryError (a finding) instead of a slow swap.
  if ! JAZZER_FUZZ=1 ./mvnw -q -pl "$module" -am test \
        -Dtest="${class##*.}#$method" -Dsurefire.failIfNoSpecifiedTests=false \
        -DargLine="--enable-native-access=ALL-UNNAMED -Xss1m -Xmx512m -XX:+EnableDynamicAgentLoading"; then
    echo "!! $class#$method: finding (see the crash-* file under $module/src/test/resources)" >&2
    failed=1
  fi
  if $keep; then
    pkgdir="$(dirname "${class//.//}")"
    src="$module/.cifuzz-corpus/$class/$method"
    dst="$module/src/test/resources/$pkgdir/${class##*.}Inputs/$method"
    if [ -d "$src" ]; then
      mkdir -p "$dst"
      cp -n "$src"/* "$dst"/ 2>/dev/null || true
      echo "   corpus: $(ls "$dst" | wc -l) inputs in $dst"
    fi
  fi
done
exit $failed
