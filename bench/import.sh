#!/usr/bin/env bash
# Import rate (issue 8): `steadfast import` of the generated CT and small sets into a fresh data folder,
# against two baselines in the same run: copying the same files durably (CopyBaseline: temporary file,
# fsync, rename, directory fsync, no parsing, no index) and `steadfast reindex` of what was imported.
# Repeats (default 3, REPEATS=N) rotate the order of import and copy; medians at the end.
# Extra arguments go to `steadfast import` (e.g. --threads 4).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
"$(dirname "${BASH_SOURCE[0]}")/generate.sh" >/dev/null
D="$BENCH_DIR/data"
W="$BENCH_DIR/import-work"
THREADS="${THREADS:-$(nproc)}"
REPEATS="${REPEATS:-3}"
STEADFAST=("$JAVA" --enable-native-access=ALL-UNNAMED -jar "$ROOT/steadfast-server/target/steadfast.jar")
OUT="$RESULTS/import.tsv"
echo -e "# $(date -Is) threads=$THREADS load=$(cut -d' ' -f1-3 /proc/loadavg) $*" >> "$OUT"
echo -e "set\trepeat\tinstances\tMB\timport_s\timport_wall_s\tcopy_s\treindex_wall_s" >> "$OUT"

now() { date +%s.%N; }

for set in ct small; do
    for r in $(seq 1 "$REPEATS"); do
        rm -rf "$W"; mkdir -p "$W"
        copy() {
            "$JAVA" -cp "$JAR" dev.steadfast.bench.load.CopyBaseline --from "$D/$set" --to "$W/copy" \
                --threads "$THREADS" | awk '{print $6}'
        }
        run_import() {
            local t0 t1
            t0=$(now)
            "${STEADFAST[@]}" import --data "$W/data" --threads "$THREADS" --progress none "$@" "$D/$set" \
                > "$W/summary.txt" 2> "$W/import.log" || { cat "$W/summary.txt" "$W/import.log" >&2; exit 1; }
            t1=$(now)
            echo "$t0 $t1" | awk '{printf "%.3f", $2 - $1}'
        }
        if [ $((r % 2)) -eq 1 ]; then c=$(copy); iw=$(run_import "$@"); else iw=$(run_import "$@"); c=$(copy); fi
        inst=$(awk '/^imported:/ {print $2}' "$W/summary.txt")
        mb=$(awk '/^bytes:/ {print $2}' "$W/summary.txt")
        is=$(awk '/^elapsed:/ {print $2}' "$W/summary.txt")
        rm -f "$W/data/index.db" "$W/data/index.db-wal" "$W/data/index.db-shm"
        t0=$(now)
        "${STEADFAST[@]}" reindex --data "$W/data" --threads "$THREADS" > "$W/reindex.txt" 2> "$W/reindex.log"
        t1=$(now)
        rw=$(echo "$t0 $t1" | awk '{printf "%.3f", $2 - $1}')
        echo -e "$set\t$r\t$inst\t$mb\t$is\t$iw\t$c\t$rw" | tee -a "$OUT"
    done
done
rm -rf "$W"

# Medians of this run (the last 2*REPEATS rows).
tail -n $((2 * REPEATS)) "$OUT" | python3 -c '
import sys, statistics as st
rows = [l.rstrip("\n").split("\t") for l in sys.stdin]
for s in ("ct", "small"):
    r = [x for x in rows if x[0] == s]
    if not r: continue
    inst, mb = float(r[0][2]), float(r[0][3])
    imp, wall, copy, rei = (st.median(float(x[i]) for x in r) for i in (4, 5, 6, 7))
    print(f"{s}: {int(inst)} instances, {mb:.1f} MB: import {inst/imp:.0f} inst/s, {mb/imp:.1f} MB/s (in process; "
          f"{inst/wall:.0f} inst/s with JVM start); copy+fsync {inst/copy:.0f} files/s, {mb/copy:.1f} MB/s; "
          f"import/copy rate {copy/imp:.2f}; reindex {inst/rei:.0f} inst/s; import/reindex rate {rei/wall:.2f}")
'
