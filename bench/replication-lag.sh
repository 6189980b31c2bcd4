#!/usr/bin/env bash
# Replication lag to a second site (issue 17): site A (steadfast serve) forwards everything to site B
# (another serve, a `steadfast` destination); SENDERS storescu processes send new instances (copies of
# a corpus CT with fresh UIDs) to A for SECONDS; A's steadfast_forward_oldest_age_seconds (the age of the
# oldest acknowledged instance not yet at B: the replication lag) is sampled every 0.5 s; p50/p95/max
# printed, raw samples in $RESULTS/replication-lag.tsv. Then the backlog is drained and both inventories
# compared. Usage: bench/replication-lag.sh [SECONDS=120] [SENDERS=3]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SECONDS_RUN="${1:-120}"; SENDERS="${2:-3}"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}" TCP_NODELAY=1
RESULTS="${RESULTS:-$ROOT/bench/results}"; mkdir -p "$RESULTS"
W="$(mktemp -d /tmp/steadfast-lag.XXXXXX)"; PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$W"; }
trap cleanup EXIT
SRC="${STEADFAST_TESTDATA:-/work/shared/testdata/dicom}/ct/dicomParser__CT1_UNC.explicit_little_endian.dcm"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
BH="$(free_port)"; BD="$(free_port)"; AH="$(free_port)"; AD="$(free_port)"
"$ROOT/steadfast" --version >/dev/null 2>&1 || true   # builds the jar when needed
"$ROOT/steadfast" serve --data "$W/b" --dicom-port "$BD" --http-port "$BH" --db "jdbc:sqlite:$W/b.db" >"$W/b.log" 2>&1 & PIDS+=($!)
cat >"$W/a.yaml" <<YAML
forwarding:
  destinations:
    site-b:
      type: steadfast
      url: http://127.0.0.1:$BH
  rules:
    - destination: site-b
YAML
"$ROOT/steadfast" serve --config "$W/a.yaml" --data "$W/a" --dicom-port "$AD" --http-port "$AH" --db "jdbc:sqlite:$W/a.db" >"$W/a.log" 2>&1 & PIDS+=($!)
for port in "$BH" "$AH"; do
    for _ in $(seq 600); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.2; done
done
# Debian's python3-pydicom (a pyenv python3 on PATH may lack it).
# Each sender: 60 batches of 20 fresh instances (3,600 in all with 3 senders: ingest ends early if they run out) (new Study/Series/SOP UIDs per batch), one association a batch.
/usr/bin/python3 - "$SRC" "$W/gen" "$SENDERS" <<'PY'
import sys, pydicom, pydicom.uid, os
src, out, senders = sys.argv[1], sys.argv[2], int(sys.argv[3])
ds = pydicom.dcmread(src)
for s in range(senders):
    for b in range(60):
        d = os.path.join(out, f"{s}", f"{b:03d}"); os.makedirs(d)
        ds.StudyInstanceUID = pydicom.uid.generate_uid(); ds.SeriesInstanceUID = pydicom.uid.generate_uid()
        for i in range(20):
            ds.SOPInstanceUID = pydicom.uid.generate_uid(); ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
            ds.save_as(os.path.join(d, f"{i:02d}.dcm"))
PY
END=$(( $(date +%s) + SECONDS_RUN ))
for s in $(seq 0 $((SENDERS - 1))); do
    ( for d in "$W/gen/$s"/*; do [ "$(date +%s)" -lt "$END" ] || break
          storescu -aec STEADFAST 127.0.0.1 "$AD" "$d"/*.dcm || echo "storescu failed" >&2; done ) & PIDS+=($!)
done
: >"$RESULTS/replication-lag.tsv"
while [ "$(date +%s)" -lt "$END" ]; do
    curl -sf "http://127.0.0.1:$AH/metrics" | awk -v t="$(date +%s.%N)" \
        '/^steadfast_forward_oldest_age_seconds\{destination="site-b"\}/ {a=$2} /^steadfast_forward_queue_depth\{destination="site-b"\}/ {d=$2}
         END {print t "\t" a "\t" d}' >>"$RESULTS/replication-lag.tsv"
    sleep 0.5
done
wait "${PIDS[@]:2}" 2>/dev/null || true
for _ in $(seq 600); do
    curl -sf "http://127.0.0.1:$AH/api/forwarding/site-b" | grep -q '"depth":0,' && break; sleep 0.5
done
sent=$(curl -sf "http://127.0.0.1:$AH/api/forwarding/site-b" | grep -o '"sent":[0-9]*')
same=$([ "$(curl -sf "http://127.0.0.1:$AH/api/inventory/studies?limit=1000" | sed 's/,"lastReceived":[0-9]*//g')" = \
         "$(curl -sf "http://127.0.0.1:$BH/api/inventory/studies?limit=1000" | sed 's/,"lastReceived":[0-9]*//g')" ] && echo yes || echo NO)
sort -g -k2,2 "$RESULTS/replication-lag.tsv" | awk -v sent="$sent" -v same="$same" -v secs="$SECONDS_RUN" -v senders="$SENDERS" \
    '{a[NR]=$2} END {n=NR; i50=int(n*0.5)+1; i95=int(n*0.95)+1; if (i95>n) i95=n;
      printf "replication lag over %d s, %d senders, %d samples: p50 %.2f s, p95 %.2f s, max %.2f s; %s; inventories identical after drain: %s\n",
      secs, senders, n, a[i50], a[i95], a[n], sent, same}'
