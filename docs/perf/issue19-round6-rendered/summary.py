#!/usr/bin/env python3
# Summary of round six: per run, rendered (one client) wall median and peer CPU per request, first 25 and 26-300,
# and the ratios the section quotes (branch / nowarm, each serve / Orthanc), then the medians over runs.
import re, sys, statistics as st
pat = re.compile(r'^(\S+)\s+WADO-RS rendered \(image/jpeg.*?first 25: median ([\d.]+) ms.*?peer CPU ([\d.]+) ms per request; '
                 r'requests 26-\d+: median ([\d.]+) ms.*?peer CPU ([\d.]+) ms')
ratios = {}
for f in sys.argv[1:]:
    lines = open(f).read().splitlines()
    load = [l.split('load: ')[1].split()[0] for l in lines if l.startswith('# ') and 'load:' in l]
    rows = {}
    for l in lines:
        m = pat.match(l)
        if m:
            rows[m.group(1)] = tuple(float(x) for x in m.groups()[1:])
    print(f"{f} (load {'-'.join(load)})")
    for p, (w25, c25, w, c) in rows.items():
        print(f"  {p:14s} first 25: {w25:5.1f} ms, CPU {c25:5.1f} | 26-300: {w:5.1f} ms, CPU {c:4.1f}")
    o = rows.get('orthanc')
    for p, r in rows.items():
        if p == 'orthanc' or not o:
            continue
        for k, i in (('wall 26-300 / Orthanc', 2), ('CPU 26-300 / Orthanc', 3), ('CPU first 25 / Orthanc', 1)):
            ratios.setdefault((p, k), []).append(r[i] / o[i])
    b, n = rows.get('serve:branch'), rows.get('serve:nowarm')
    if b and n:
        for k, i in (('wall first 25 branch/nowarm', 0), ('CPU first 25 branch/nowarm', 1), ('wall 26-300 branch/nowarm', 2),
                     ('CPU 26-300 branch/nowarm', 3)):
            ratios.setdefault(('', k), []).append(b[i] / n[i])
print("\nratios (median over runs; each run's values)")
for (p, k), v in sorted(ratios.items()):
    print(f"  {p:14s} {k:28s} {st.median(v):.2f}  ({', '.join(f'{x:.2f}' for x in v)})")
