import subprocess, sys, re, collections
f=sys.argv[1]; marker=sys.argv[2] if len(sys.argv)>2 else "RenderedService"
out=subprocess.run(["/usr/lib/jvm/temurin-25-jdk-amd64/bin/jfr","print","--events","jdk.CPUTimeSample","--stack-depth","80",f],capture_output=True,text=True).stdout
ev=[]
for s in out.split("\njdk.")[1:]:
    t=re.search(r"startTime = (\S+)",s); th=re.search(r'eventThread = "([^"]*)"',s)
    frames=re.findall(r"^\s+([\w$.<>]+)\(.*?\)\s+line:",s,re.M)
    ev.append((t.group(1) if t else "", th.group(1) if th else "?", frames))
ts=sorted(e[0] for e in ev if any(marker in fr for fr in e[2]))
a,b=ts[0],ts[-1]
inwin=[e for e in ev if a<=e[0]<=b]
c=collections.Counter()
for e in inwin:
    th=re.sub(r"\d+","N",e[1])
    key = "render-request" if any("RenderedService" in x for x in e[2]) else ("render-task" if any("StandardImaging" in x for x in e[2]) else th+" | "+(e[2][0] if e[2] else "-"))
    c[key]+=1
print(a,b,len(inwin))
for k,v in c.most_common(25): print("  ",v,k)
lost=subprocess.run(["/usr/lib/jvm/temurin-25-jdk-amd64/bin/jfr","summary",f],capture_output=True,text=True).stdout
print([l for l in lost.splitlines() if "CPUTime" in l])
