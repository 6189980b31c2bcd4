#!/usr/bin/env python3
"""Per-repeat same-run ratios from an IngestBench log: rate and CPU per instance of each peer against BASE
(default serve:main) and against durable, for each association count; medians. Usage: ratios.py LOG [BASE]"""
import re, sys, statistics as st
log, base = sys.argv[1], (sys.argv[2] if len(sys.argv) > 2 else "serve:main")
runs = {}
for line in open(log):
    m = re.match(r"ct\s+storescu\s+x(\d+)\s+(\S+)\s+#(\d+)\s+([\d.]+) inst/s.*cpu ([\d.]+) ms/inst", line)
    if m:
        runs[(int(m[1]), m[2], int(m[3]))] = (float(m[4]), float(m[5]))
for a in sorted({k[0] for k in runs}):
    peers = sorted({k[1] for k in runs if k[0] == a})
    reps = sorted({k[2] for k in runs if k[0] == a})
    print(f"x{a}")
    for p in peers:
        rate = [runs[(a, p, r)][0] for r in reps if (a, p, r) in runs]
        cpu = [runs[(a, p, r)][1] for r in reps if (a, p, r) in runs]
        vb = [runs[(a, p, r)][0] / runs[(a, base, r)][0] for r in reps if (a, p, r) in runs and (a, base, r) in runs]
        cb = [runs[(a, p, r)][1] / runs[(a, base, r)][1] for r in reps if (a, p, r) in runs and (a, base, r) in runs]
        vd = [runs[(a, p, r)][0] / runs[(a, "durable", r)][0] for r in reps if (a, p, r) in runs and (a, "durable", r) in runs]
        vo = [runs[(a, p, r)][0] / runs[(a, "orthanc", r)][0] for r in reps if (a, p, r) in runs and (a, "orthanc", r) in runs]
        print(f"  {p:13s} rate {st.median(rate):6.1f} cpu {st.median(cpu):5.2f} | rate/{base} {st.median(vb):.2f} "
              f"({' '.join(f'{x:.2f}' for x in vb)}) cpu/{base} {st.median(cb):.2f} ({' '.join(f'{x:.2f}' for x in cb)}) "
              f"| vs durable {st.median(vd):.2f} ({' '.join(f'{x:.2f}' for x in vd)}) | vs orthanc {st.median(vo) if vo else float('nan'):.2f}")
