import re,sys,statistics as st
for f in sys.argv[1:]:
    v=r=None; d={}
    for line in open(f):
        m=re.match(r"== (\S+) round (\d+) ([\d.]+)",line)
        if m: v,r,l=m[1],int(m[2]),m[3]; continue
        m=re.match(r"pass (\d+): p50 ([\d.]+) ms p90 ([\d.]+) ms, ([\d.]+) inst/s, CPU ([\d.]+) ms/inst, ingest thread ([\d.]+)",line)
        if m and int(m[1])>=2:
            d.setdefault(v,[]).append((r,int(m[1]),float(m[2]),float(m[3]),float(m[4]),float(m[5]),float(m[6]),l))
    print(f)
    for v,rows in d.items():
        print(f"  {v:5s} p50 {st.median(x[2] for x in rows):.2f} ({' '.join('%.2f'%x[2] for x in rows)}) p90 {st.median(x[3] for x in rows):.2f} rate {st.median(x[4] for x in rows):.0f} cpu {st.median(x[5] for x in rows):.2f} ({' '.join('%.2f'%x[5] for x in rows)}) thread {st.median(x[6] for x in rows):.2f} ({' '.join('%.2f'%x[6] for x in rows)})")
