#!/usr/bin/env bash
# Start-up to the first C-ECHO (issue 19: ready within 1 s): `./steadfast serve` (as a user runs it, with the
# launcher's AOT cache) with an empty data folder and with an existing one, alternating with Orthanc as the
# same-run baseline. For each start: wall time from launch to the first echoscu that succeeds, and the CPU
# (user+system) the server had used by then. Prints the median of N per peer and the load average.
#   bench/startup.sh [N]        (default 7)
#   BEFORE=/path/to/other/checkout bench/startup.sh   also starts that checkout's ./steadfast (built, AOT cache
#   trained the same way) in each round: a before/after in the same run.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
export TCP_NODELAY=1
N="${1:-7}"
WORK="$(mktemp -d /tmp/steadfast-startup.XXXXXX)"
RESULTS="${RESULTS:-$ROOT/bench/results}"
mkdir -p "$RESULTS"
OUT="$RESULTS/startup-$(date -u +%Y%m%dT%H%M%S).tsv"
TICK="$(getconf CLK_TCK)"
PID=""
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
now_ms() { date +%s%3N; }
cpu_ms() { awk -v t="$TICK" '{ print int(($14 + $15) * 1000 / t) }' "/proc/$1/stat"; }

# Launches "$@" in the background, polls the DICOM port with echoscu until it answers; prints "wall_ms cpu_ms".
measure() { # port aet cmd...
    local port="$1" aet="$2"; shift 2
    local t0; t0="$(now_ms)"
    "$@" >"$WORK/last.log" 2>&1 &
    PID=$!
    until echoscu -to 1 -aec "$aet" 127.0.0.1 "$port" >/dev/null 2>&1; do
        kill -0 "$PID" 2>/dev/null || { echo "server exited: $(tail -5 "$WORK/last.log")" >&2; exit 1; }
        sleep 0.01
    done
    local t1 cpu; t1="$(now_ms)"; cpu="$(cpu_ms "$PID")"
    kill -TERM "$PID"; wait "$PID" 2>/dev/null || true; PID=""
    echo "$((t1 - t0)) $cpu"
}

serve() { # data-dir [checkout]
    local dp hp; dp="$(free_port)"; hp="$(free_port)"
    measure "$dp" STEADFAST "${2:-$ROOT}/steadfast" serve --data "$1" --dicom-port "$dp" --http-port "$hp"
}

orthanc() {
    local dp hp; dp="$(free_port)"; hp="$(free_port)"
    rm -rf "$WORK/orthanc"; mkdir -p "$WORK/orthanc"
    cat >"$WORK/orthanc.json" <<JSON
{ "Name": "bench", "DicomAet": "ORTHANC", "DicomPort": $dp, "HttpPort": $hp, "StorageDirectory": "$WORK/orthanc",
  "IndexDirectory": "$WORK/orthanc", "RemoteAccessAllowed": false, "Plugins": [] }
JSON
    measure "$dp" ORTHANC Orthanc "$WORK/orthanc.json"
}

# Build if needed, and train the AOT cache (the first serve of a jar): not measured.
"$ROOT/steadfast" --version >/dev/null
serve "$WORK/existing" >/dev/null
serve "$WORK/existing" >/dev/null
if [ -n "${BEFORE:-}" ]; then
    "$BEFORE/steadfast" --version >/dev/null
    serve "$WORK/before" "$BEFORE" >/dev/null
    serve "$WORK/before" "$BEFORE" >/dev/null
fi

echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
printf 'round\tpeer\twall_ms\tcpu_ms\n' >"$OUT"
for i in $(seq 1 "$N"); do
    rm -rf "$WORK/empty"
    read -r w c < <(serve "$WORK/empty");    printf '%s\tserve-empty\t%s\t%s\n' "$i" "$w" "$c" >>"$OUT"
    read -r w c < <(orthanc);                printf '%s\torthanc\t%s\t%s\n' "$i" "$w" "$c" >>"$OUT"
    read -r w c < <(serve "$WORK/existing"); printf '%s\tserve-existing\t%s\t%s\n' "$i" "$w" "$c" >>"$OUT"
    if [ -n "${BEFORE:-}" ]; then
        rm -rf "$WORK/before-empty"
        read -r w c < <(serve "$WORK/before-empty" "$BEFORE"); printf '%s\tbefore-empty\t%s\t%s\n' "$i" "$w" "$c" >>"$OUT"
        read -r w c < <(serve "$WORK/before" "$BEFORE");       printf '%s\tbefore-existing\t%s\t%s\n' "$i" "$w" "$c" >>"$OUT"
    fi
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "start-up to first C-ECHO, medians of $N (ms):"
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] " (" v[1] "-" v[NR] ")" }'; }
for peer in serve-empty serve-existing ${BEFORE:+before-empty before-existing} orthanc; do
    printf '  %-15s wall %s  cpu %s\n' "$peer" \
        "$(awk -F'\t' -v p="$peer" '$2 == p { print $3 }' "$OUT" | median)" \
        "$(awk -F'\t' -v p="$peer" '$2 == p { print $4 }' "$OUT" | median)"
done
echo "raw: $OUT"
