#!/usr/bin/env bash
# The web viewer on a big CT series (issue 16): time to first image (and where it went), when the whole series
# is in, and scrolling frames per second of the same OHIF build (steadfast-server/target/viewer/package/dist) in
# headless chromium, the same generated series stored in serve and in Orthanc, alternating in one run:
#   serve-own  the viewer as serve serves it at /viewer/ (gzip copies, cache headers), on serve's DICOMweb
#   serve      the same files from a plain static server, on serve's DICOMweb   } the DICOMweb comparison
#   orthanc    the same files from a plain static server, on Orthanc's DICOMweb  }
#   serve-cpu  (CPU=1) as serve, with Cornerstone's CPU rendering instead of software WebGL
#   bench/viewer.sh              # 500 instances, 3 rounds
#   INSTANCES=1000 REPS=3 SCROLL_STEPS=400 bench/viewer.sh   # SCROLL_STEPS: wheel steps per visit (60)
#   WARM=1 bench/viewer.sh       # also a second visit in the same browser (cache warm)
#   THROTTLE_MBIT=100 SCROLL_STEPS=0 bench/viewer.sh   # a 100 Mbit/s LAN instead of loopback
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
INSTANCES="${INSTANCES:-500}"
REPS="${REPS:-3}"
build
DIST="$ROOT/steadfast-server/target/viewer/package/dist"
NODE_DIR="$ROOT/steadfast-server/src/test/viewer"
[ -f "$DIST/index.html" ] || { echo "no OHIF build in $DIST (build steadfast-server)"; exit 1; }
[ -d "$NODE_DIR/node_modules/playwright-core" ] || (cd "$NODE_DIR" && npm ci --no-audit --no-fund)

SERIES="$BENCH_DIR/data/viewer-ct$INSTANCES"
if [ ! -f "$SERIES.uid" ]; then   # the study UID, written last: the series is complete
    run web.ViewerSeries "$SERIES" "$INSTANCES" > "$SERIES.uid.tmp" && mv "$SERIES.uid.tmp" "$SERIES.uid"
fi
STUDY="$(cat "$SERIES.uid")"
WORK="$BENCH_DIR/viewer"
rm -rf "$WORK" && mkdir -p "$WORK/orthanc"
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_http() { for _ in $(seq 600); do curl -sf -o /dev/null "$1" && return 0; sleep 0.1; done; echo "not up: $1"; exit 1; }
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done; wait' EXIT
trap 'exit 1' INT TERM

DICOM_PORT=$(port); SERVE_HTTP=$(port); ORTHANC_HTTP=$(port)
"$JAVA" --enable-native-access=ALL-UNNAMED -jar "$ROOT/steadfast-server/target/steadfast.jar" serve --data "$WORK/serve" \
    --dicom-port "$DICOM_PORT" --http-port "$SERVE_HTTP" > "$WORK/serve.log" 2>&1 &
PIDS+=($!)
cat > "$WORK/orthanc/orthanc.json" <<JSON
{ "Name": "steadfast-bench", "StorageDirectory": "$WORK/orthanc/storage", "IndexDirectory": "$WORK/orthanc/index",
  "HttpPort": $ORTHANC_HTTP, "DicomServerEnabled": false, "RemoteAccessAllowed": false, "AuthenticationEnabled": false,
  "Plugins": ["/usr/share/orthanc/plugins/libOrthancDicomWeb.so"], "DicomWeb": { "Enable": true, "Root": "/dicom-web/" } }
JSON
Orthanc "$WORK/orthanc/orthanc.json" > "$WORK/orthanc/orthanc.log" 2>&1 &
PIDS+=($!)
wait_http "http://127.0.0.1:$SERVE_HTTP/health"
wait_http "http://127.0.0.1:$ORTHANC_HTTP/system"

# The same files into both: C-STORE into serve, REST upload into Orthanc.
storescu -q -aec STEADFAST 127.0.0.1 "$DICOM_PORT" +sd "$SERIES"
for f in "$SERIES"/*.dcm; do curl -sf -o /dev/null -X POST --data-binary @"$f" "http://127.0.0.1:$ORTHANC_HTTP/instances"; done
for root in "http://127.0.0.1:$SERVE_HTTP/dicom-web" "http://127.0.0.1:$ORTHANC_HTTP/dicom-web"; do
    n=$(curl -sf -H 'Accept: application/dicom+json' "$root/studies/$STUDY/series?includefield=00201209" | grep -o '"00201209"[^]]*' | grep -o '[0-9]\+' | tail -1 || true)
    echo "$root: series with $n instances"
done

rm -f "$RESULTS/viewer-waterfall.tsv"
{
    echo "# $(date -u +%FT%TZ) $INSTANCES-instance CT series, $REPS rounds A/B; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
    TARGETS=("serve-own=http://127.0.0.1:$SERVE_HTTP/dicom-web|own" "serve=http://127.0.0.1:$SERVE_HTTP/dicom-web"
        "orthanc=http://127.0.0.1:$ORTHANC_HTTP/dicom-web")
    if [ -n "${CPU:-}" ]; then TARGETS+=("serve-cpu=http://127.0.0.1:$SERVE_HTTP/dicom-web|cpu"); fi
    WATERFALL="$RESULTS/viewer-waterfall.tsv" node "$NODE_DIR/viewer_bench.mjs" "$DIST" "$STUDY" "$INSTANCES" "$REPS" "${TARGETS[@]}"
    echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
} 2>&1 | tee "$RESULTS/viewer.log"
