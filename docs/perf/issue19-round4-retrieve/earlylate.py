#!/usr/bin/env python3
"""Early (rounds 1-8) vs late (last 8) medians, the median of per-round ratios (same round, same load) of each RetrieveBench / ReceiverCeiling line, and same-run ratios to Orthanc."""
import re, statistics, sys

for path in sys.argv[1:]:
    print(f"== {path}")
    rows = {}
    for line in open(path):
        m = re.match(r"(\S+)\s+(C-MOVE|C-GET|storescu ->|\d+ instances from memory)[^\[]*\[([\d, ]+)\](?:; peer CPU (\d+) ms)?", line)
        if not m:
            continue
        peer, what, vals, cpu = m.group(1), m.group(2), [float(v) for v in m.group(3).split(",")], m.group(4)
        what = {"storescu ->": "bare", }.get(what, what if not what[0].isdigit() else "memory")
        rows[(what, peer)] = (vals, cpu)
        n = min(8, len(vals) // 3)
        print(f"{what:8} {peer:14} median {statistics.median(vals):5.0f}  early {statistics.median(vals[:n]):5.0f}  late {statistics.median(vals[-n:]):5.0f}"
              + (f"  CPU {cpu} ms" if cpu else ""))
    for what in ("C-MOVE", "C-GET"):
        o = rows.get((what, "orthanc"))
        if not o:
            continue
        for (w, peer), (vals, cpu) in rows.items():
            if w == what and peer != "orthanc":
                n = min(8, len(vals) // 3)
                paired = [a / b for a, b in zip(o[0], vals)]  # same round, same load
                print(f"{what:8} orthanc / {peer:12} all {statistics.median(o[0]) / statistics.median(vals):.2f}x"
                      f"  paired by round {statistics.median(paired):.2f}x (rounds >= 1.5x: {sum(r >= 1.5 for r in paired)}/{len(paired)})"
                      f"  late {statistics.median(o[0][-n:]) / statistics.median(vals[-n:]):.2f}x"
                      + (f"  CPU {int(cpu) / int(o[1]):.2f}x Orthanc's" if cpu and o[1] else ""))
