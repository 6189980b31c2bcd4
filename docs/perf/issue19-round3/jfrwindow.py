import subprocess, sys, re, collections
f=sys.argv[1]
out=subprocess.run(["/usr/lib/jvm/temurin-25-jdk-amd64/bin/jfr","print","--events",sys.argv[2] if len(sys.argv)>2 else "jdk.CPUTimeSample","--stack-depth","80",f],capture_output=True,text=True).stdout
ev=[]
for s in out.split("\njdk.")[1:]:
    t=re.search(r"startTime = (\S+)",s); th=re.search(r'eventThread = "([^"]*)"',s)
    frames=re.findall(r"^\s+([\w$.<>]+)\(.*?\)\s+line:",s,re.M)
    ev.append((t.group(1) if t else "", th.group(1) if th else "?", frames))
def window(marker):
    ts=[e[0] for e in ev if any(marker in fr for fr in e[2])]
    return min(ts),max(ts)
for name,marker in (("MOVE","DimseClient.store"),("GET","RetrieveScp.storeBack")):
    a,b=window(marker)
    inwin=[e for e in ev if a<=e[0]<=b]
    c=collections.Counter(); top=collections.Counter()
    for e in inwin:
        key = "RetrieveScp" if any("RetrieveScp" in x for x in e[2]) else (e[1][:30] + " | " + (e[2][0] if e[2] else "-"))
        c[key]+=1
    print(name,a,b,len(inwin))
    for k,v in c.most_common(15): print("  ",v,k)
