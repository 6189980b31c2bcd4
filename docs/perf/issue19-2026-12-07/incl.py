import json,sys,collections,subprocess
# usage: incl.py rec.jfr EVENT [startsecs-to-skip]: inclusive % per method (any frame), self % per top frame
f,ev=sys.argv[1],sys.argv[2]
out=subprocess.run(['/usr/lib/jvm/temurin-25-jdk-amd64/bin/jfr','print','--json','--stack-depth','64','--events',ev,f],capture_output=True,text=True).stdout
d=json.loads(out)['recording']['events']
inc=collections.Counter(); top=collections.Counter(); thr=collections.Counter(); n=0
for e in d:
    v=e['values']; st=v.get('stackTrace') or {}
    fr=st.get('frames',[]) if st else []
    names=[x['method']['type']['name'].replace('/','.')+'.'+x['method']['name'] for x in fr]
    if not names: continue
    n+=1
    top[names[0]]+=1
    for m in set(names): inc[m]+=1
    t=v.get('eventThread') or v.get('sampledThread') or {}
    thr[(t.get('javaName') or t.get('osName') or '?')[:30] if isinstance(t,dict) else '?']+=1
print("samples",n)
print("-- self (top frame)")
for k,c in top.most_common(25): print(f"{100*c/n:5.1f}% {k}")
print("-- inclusive (dev.steadfast and key JDK)")
for k,c in inc.most_common(400):
    if k.startswith('dev.steadfast') or any(s in k for s in ['MessageDigest.digest','DigestBase.engineUpdate','FileChannelImpl.force','FileChannelImpl.write','sqlite','Hikari','NioSocketImpl.read','GC']):
        print(f"{100*c/n:5.1f}% {k}")
print("-- threads"); 
for k,c in thr.most_common(10): print(f"{100*c/n:5.1f}% {k}")
