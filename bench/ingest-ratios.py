#!/usr/bin/env python3
"""Per-repeat same-run ratios from an IngestBench log (bench/ingest.sh, or a docs/perf round's run.sh): rate and CPU
per instance of each peer against BASE (default serve:main), against durable and against orthanc (nan when the run
had no such peer), for each association count; medians, each ratio's repeats in brackets.
Usage: bench/ingest-ratios.py LOG [BASE]"""
import re, sys, statistics as st

LINE = re.compile(r"ct\s+storescu\s+x(\d+)\s+(\S+)\s+#(\d+)\s+([\d.]+) inst/s.*cpu ([\d.]+) ms/inst")


def median(xs):
    return st.median(xs) if xs else float("nan")


def listed(xs):
    return " ".join(f"{x:.2f}" for x in xs)


def main(log, base):
    runs = {}  # (associations, peer, repeat) -> (inst/s, CPU ms per instance)
    for line in open(log):
        m = LINE.match(line)
        if m:
            runs[(int(m[1]), m[2], int(m[3]))] = (float(m[4]), float(m[5]))
    for a in sorted({k[0] for k in runs}):
        peers = sorted({k[1] for k in runs if k[0] == a})
        reps = sorted({k[2] for k in runs if k[0] == a})

        def ratios(p, other, i):  # peer p over peer other, field i, in the repeats that have both
            return [runs[(a, p, r)][i] / runs[(a, other, r)][i] for r in reps if (a, p, r) in runs and (a, other, r) in runs]

        print(f"x{a}")
        for p in peers:
            rate = [runs[(a, p, r)][0] for r in reps if (a, p, r) in runs]
            cpu = [runs[(a, p, r)][1] for r in reps if (a, p, r) in runs]
            vb, cb = ratios(p, base, 0), ratios(p, base, 1)
            vd, vo = ratios(p, "durable", 0), ratios(p, "orthanc", 0)
            print(f"  {p:13s} rate {st.median(rate):6.1f} cpu {st.median(cpu):5.2f} | rate/{base} {median(vb):.2f} "
                  f"({listed(vb)}) cpu/{base} {median(cb):.2f} ({listed(cb)}) "
                  f"| vs durable {median(vd):.2f} ({listed(vd)}) | vs orthanc {median(vo):.2f}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "serve:main")
