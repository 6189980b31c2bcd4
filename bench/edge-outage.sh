#!/usr/bin/env bash
# Central down behind an edge (issue 17): modality -> edge -> central, each a `steadfast serve`. The edge
# forwards everything to central (a `steadfast` destination) and has it as its peer. SENDERS storescu
# processes send new instances (copies of a corpus CT with fresh UIDs, 5 a batch, one association a
# batch, a batch about every PACE seconds as a busy modality would) to the edge for SECONDS; after LEAD seconds central is killed with kill -9 and started again
# (same data, same ports) OUTAGE seconds later. During the outage, every 5 s, the edge is asked for the
# newest study that arrived during it: C-FIND (findscu), QIDO-RS and WADO-RS (curl). Printed at the end:
# instances acknowledged, storescu failures (must be 0), edge queries failed during the outage (must be 0),
# how long the backlog took to drain after central returned, instances at edge and central, lost (must
# be 0), and whether both inventories (study digests of SOP UIDs and SHA-256s) are identical.
# Usage: bench/edge-outage.sh [SECONDS=240] [OUTAGE=120] [LEAD=40] [SENDERS=3] [PACE=1]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SECONDS_RUN="${1:-240}"; OUTAGE="${2:-120}"; LEAD="${3:-40}"; SENDERS="${4:-3}"; PACE="${5:-1}"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}" TCP_NODELAY=1
RESULTS="${RESULTS:-$ROOT/bench/results}"; mkdir -p "$RESULTS"
W="$(mktemp -d /tmp/steadfast-edge-outage.XXXXXX)"; PIDS=(); CENTRAL=""
cleanup() { [ -n "$CENTRAL" ] && kill "$CENTRAL" 2>/dev/null; for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
            wait 2>/dev/null || true; [ -n "${KEEP:-}" ] || rm -rf "$W"; }
trap cleanup EXIT
SRC="${STEADFAST_TESTDATA:-/work/shared/testdata/dicom}/ct/dicomParser__CT1_UNC.explicit_little_endian.dcm"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
CH="$(free_port)"; CD="$(free_port)"; EH="$(free_port)"; ED="$(free_port)"
"$ROOT/steadfast" --version >/dev/null 2>&1 || true   # builds the jar when needed
start_central() {
    "$ROOT/steadfast" serve --ae-title CENTRAL --data "$W/central" --dicom-port "$CD" --http-port "$CH" \
        --db "jdbc:sqlite:$W/central.db" >>"$W/central.log" 2>&1 & CENTRAL=$!
}
wait_health() { for _ in $(seq 600); do curl -sf "http://127.0.0.1:$1/health" >/dev/null && return 0; sleep 0.2; done; return 1; }
start_central
cat >"$W/edge.yaml" <<YAML
forwarding:
  destinations:
    central:
      type: steadfast
      url: http://127.0.0.1:$CH
  rules:
    - destination: central
sites:
  peer:
    url: http://127.0.0.1:$CH
    timeout-seconds: 2
YAML
"$ROOT/steadfast" serve --config "$W/edge.yaml" --data "$W/edge" --dicom-port "$ED" --http-port "$EH" \
    --db "jdbc:sqlite:$W/edge.db" >"$W/edge.log" 2>&1 & PIDS+=($!)
wait_health "$CH"; wait_health "$EH"
# Debian's python3-pydicom (a pyenv python3 on PATH may lack it): enough batches of 5 for the whole run.
BATCHES=$(( SECONDS_RUN / PACE + 1 ))
/usr/bin/python3 - "$SRC" "$W/gen" "$SENDERS" "$BATCHES" <<'PY'
import sys, pydicom, pydicom.uid, os
src, out, senders, batches = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
ds = pydicom.dcmread(src)
for s in range(senders):
    for b in range(batches):
        d = os.path.join(out, f"{s}", f"{b:03d}"); os.makedirs(d)
        ds.StudyInstanceUID = pydicom.uid.generate_uid(); ds.SeriesInstanceUID = pydicom.uid.generate_uid()
        for i in range(5):
            ds.SOPInstanceUID = pydicom.uid.generate_uid(); ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
            ds.save_as(os.path.join(d, f"{i:02d}.dcm"))
PY
: >"$W/acked"; : >"$W/failed"; : >"$W/during"
T0=$(date +%s); END=$(( T0 + SECONDS_RUN ))
for s in $(seq 0 $((SENDERS - 1))); do
    ( for d in "$W/gen/$s"/*; do now=$(date +%s); [ "$now" -lt "$END" ] || break
          during=0; [ "$now" -ge $((T0 + LEAD)) ] && [ "$now" -lt $((T0 + LEAD + OUTAGE)) ] && during=1
          if storescu -aec STEADFAST 127.0.0.1 "$ED" "$d"/*.dcm >"$d.log" 2>&1; then echo "$d" >>"$W/acked"
          else echo "$d" >>"$W/failed"; fi
          [ "$during" = 1 ] && echo "$d" >>"$W/during"
          sleep "$PACE"
      done ) & PIDS+=($!)
done
sleep "$LEAD"; kill -9 "$CENTRAL"; wait "$CENTRAL" 2>/dev/null || true; CENTRAL=""; DOWN_AT=$(date +%s)
qfail=0; qok=0
while [ "$(date +%s)" -lt $((DOWN_AT + OUTAGE)) ]; do
    d="$(tail -n 1 "$W/during" 2>/dev/null || true)"
    if [ -n "$d" ] && grep -qx "$d" "$W/acked"; then
        study="$(/usr/bin/python3 -c 'import sys,pydicom; print(pydicom.dcmread(sys.argv[1], stop_before_pixels=True).StudyInstanceUID)' "$d/00.dcm")"
        ok=1
        findscu -S -aet WS -aec STEADFAST -k QueryRetrieveLevel=STUDY -k "StudyInstanceUID=$study" -k NumberOfStudyRelatedInstances \
            127.0.0.1 "$ED" >"$W/find.log" 2>&1 && grep -q "$study" "$W/find.log" || ok=0
        curl -sf "http://127.0.0.1:$EH/dicom-web/studies?StudyInstanceUID=$study" | grep -q "$study" || ok=0
        curl -sf -o "$W/wado.bin" -H 'Accept: multipart/related; type="application/dicom"; transfer-syntax=*' \
            "http://127.0.0.1:$EH/dicom-web/studies/$study" && grep -qa DICM "$W/wado.bin" || ok=0
        if [ "$ok" = 1 ]; then qok=$((qok + 1)); else qfail=$((qfail + 1)); fi
    fi
    sleep 5
done
start_central; wait_health "$CH"; UP_AT=$(date +%s)
wait "${PIDS[@]:1}" 2>/dev/null || true
for _ in $(seq 1200); do
    curl -sf "http://127.0.0.1:$EH/api/forwarding/central" | grep -q '"depth":0,' && break; sleep 0.5
done
DRAINED=$(date +%s)
count() { curl -sf "http://127.0.0.1:$1/api/inventory/studies?limit=1000" | grep -o '"instances":[0-9]*' | awk -F: '{n+=$2} END {print n+0}'; }
acked=$(( $(wc -l <"$W/acked") * 5 )); failed=$(wc -l <"$W/failed")
at_edge=$(count "$EH"); at_central=$(count "$CH")
same=$([ "$(curl -sf "http://127.0.0.1:$EH/api/inventory/studies?limit=1000" | sed 's/,"lastReceived":[0-9]*//g')" = \
         "$(curl -sf "http://127.0.0.1:$CH/api/inventory/studies?limit=1000" | sed 's/,"lastReceived":[0-9]*//g')" ] && echo yes || echo NO)
lost=$(( acked > at_central ? acked - at_central : 0 ))
line="edge-outage: ${SECONDS_RUN} s ingest, ${SENDERS} senders, central killed -9 at ${LEAD} s for ${OUTAGE} s; acknowledged ${acked}, storescu batches failed ${failed}; edge queries during the outage ok ${qok}, failed ${qfail}; backlog drained $((DRAINED - UP_AT)) s after central returned; at edge ${at_edge}, at central ${at_central}, lost ${lost}; inventories identical: ${same}; load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "$line" | tee -a "$RESULTS/edge-outage.txt"
[ "$failed" = 0 ] && [ "$qfail" = 0 ] && [ "$lost" = 0 ] && [ "$same" = yes ]
