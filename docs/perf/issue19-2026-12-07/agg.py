import json,sys,collections,subprocess
# usage: agg.py rec.jfr EVENT [depth-of-frame-key] ; sums duration (ms) and counts per stack key (first frames in dev.steadfast or top frames)
f,ev=sys.argv[1],sys.argv[2]; n=int(sys.argv[3]) if len(sys.argv)>3 else 3
out=subprocess.run(['/usr/lib/jvm/temurin-25-jdk-amd64/bin/jfr','print','--json','--stack-depth','30','--events',ev,f],capture_output=True,text=True).stdout
d=json.loads(out)['recording']['events']
agg=collections.defaultdict(lambda:[0,0.0])
def dur(s):
    # ISO8601 duration PT0.001S
    if not s: return 0.0
    s=s.replace('PT','')
    tot=0.0
    import re
    for v,u in re.findall(r'([0-9.]+)([HMS])',s):
        tot+=float(v)*{'H':3600,'M':60,'S':1}[u]
    return tot*1000
for e in d:
    st=e['values'].get('stackTrace') or {}
    fr=st.get('frames',[]) if st else []
    names=[x['method']['type']['name'].replace('/','.').split('.')[-1]+'.'+x['method']['name'] for x in fr]
    ours=[names[i] for i,x in enumerate(fr) if x['method']['type']['name'].replace('/','.').startswith('dev.steadfast')]
    key=' < '.join(ours[:n]) if ours else ' < '.join(names[:n])
    a=agg[key]; a[0]+=1; a[1]+=dur(e['values'].get('duration'))
for k,(c,ms) in sorted(agg.items(), key=lambda x:-x[1][1])[:25]:
    print(f"{c:6d} {ms:9.1f} ms  {k}")
