#!/usr/bin/env bash
# serve from each jar in turn (one process at a time), loaded by `import` with study 1 of the bench data
# (276 CT instances); curl fetches GET /dicom-web/studies/{uid} (multipart/related; type="application/dicom")
# WARM times, then N times measured; user and system CPU of the serve process from /proc/PID/stat.
# Baseline: cat of the same files to /dev/null (page cache), N times.
set -euo pipefail
JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
STUDY_DIR=/tmp/wadozc-bench/data/ct/s000001
N=${N:-10}; WARM=${WARM:-3}
TCK=$(getconf CLK_TCK)
for spec in "$@"; do
  label=${spec%%=*}; rest=${spec#*=}; jar=${rest%%,*}; envs=""; [[ $rest == *,* ]] && envs=${rest#*,}
  d=/tmp/wadozc-curl-$label; rm -rf "$d"; mkdir -p "$d"
  $JAVA --enable-native-access=ALL-UNNAMED -jar "$jar" import --data "$d" "$STUDY_DIR" >"$d/import.log" 2>&1
  hp=$((18000 + RANDOM % 1000)); dp=$((19000 + RANDOM % 1000))
  env $envs $JAVA --enable-native-access=ALL-UNNAMED ${JFR:+-XX:StartFlightRecording=filename=$d/wado.jfr,settings=profile} -jar "$jar" serve --data "$d" --dicom-port $dp --http-port $hp --http-bind 127.0.0.1 >"$d/serve.log" 2>&1 &
  pid=$!
  for i in $(seq 1 120); do curl -sf "http://127.0.0.1:$hp/dicom-web/studies" -o "$d/studies.json" && break; sleep 0.5; done
  uid=$(python3 -c "import json;print(json.load(open('$d/studies.json'))[0]['0020000D']['Value'][0])")
  url="http://127.0.0.1:$hp/dicom-web/studies/$uid"
  for i in $(seq 1 $WARM); do curl -sf -H 'Accept: multipart/related; type="application/dicom"' "$url" -o /dev/null; done
  bytes=$(curl -sf -H 'Accept: multipart/related; type="application/dicom"' "$url" -o /dev/null -w '%{size_download}')
  read -r u0 s0 < <(awk '{print $14, $15}' /proc/$pid/stat)
  walls=()
  for i in $(seq 1 $N); do
    t=$(curl -sf -H 'Accept: multipart/related; type="application/dicom"' "$url" -o /dev/null -w '%{time_total}')
    walls+=("$t")
  done
  read -r u1 s1 < <(awk '{print $14, $15}' /proc/$pid/stat)
  base=()
  for i in $(seq 1 $N); do
    s=$(date +%s.%N); find "$STUDY_DIR" -type f -exec cat {} + >/dev/null; e=$(date +%s.%N)
    base+=("$(echo "$e - $s" | bc)")
  done
  med() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
  mw=$(med "${walls[@]}"); mb=$(med "${base[@]}")
  echo "$label: body $bytes bytes; per fetch user $(( (u1-u0)*1000/TCK/N )) ms system $(( (s1-s0)*1000/TCK/N )) ms; wall median $(printf %.0f $(echo "$mw*1000" | bc)) ms ($(echo "$bytes/$mw/1000000" | bc) MB/s); cat of the files median $(printf %.0f $(echo "$mb*1000" | bc)) ms; ratio $(echo "scale=2; $mb/$mw" | bc); load $(cut -d' ' -f1 /proc/loadavg)"
  kill $pid; wait $pid 2>/dev/null || true
done
