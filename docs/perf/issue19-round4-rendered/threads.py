# per-thread-kind CPU of one process between snapshots: threads.py PID INTERVAL COUNT
import os, sys, time, re, collections
pid=sys.argv[1]; iv=float(sys.argv[2]); n=int(sys.argv[3])
hz=os.sysconf('SC_CLK_TCK')
def snap():
    d=collections.Counter()
    for t in os.listdir(f"/proc/{pid}/task"):
        try:
            comm=open(f"/proc/{pid}/task/{t}/comm").read().strip()
            st=open(f"/proc/{pid}/task/{t}/stat").read()
        except OSError: continue
        f=st[st.rindex(')')+2:].split()
        k=re.sub(r"\d+","N",comm)
        d[k]+=(int(f[11])+int(f[12]))*1000/hz
    return d
prev=snap()
for i in range(n):
    time.sleep(iv)
    try: cur=snap()
    except OSError: break
    diff={k:cur[k]-prev.get(k,0) for k in cur if cur[k]-prev.get(k,0)>0}
    print(time.strftime("%H:%M:%S"), "total %.0f ms:"%sum(diff.values()), ", ".join(f"{k} {v:.0f}" for k,v in sorted(diff.items(),key=lambda x:-x[1])), flush=True)
    prev=cur
