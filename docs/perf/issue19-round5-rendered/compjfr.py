# jdk.Compilation events (JFR, threshold 0): compile time per second of the recording, and the longest compilations after LATE s
import json, sys, collections, datetime, subprocess
f = sys.argv[1]; late = float(sys.argv[2]) if len(sys.argv) > 2 else 12
out = subprocess.run(["/usr/lib/jvm/temurin-25-jdk-amd64/bin/jfr", "print", "--json", "--events", "jdk.Compilation", f], capture_output=True, text=True).stdout
ev = json.loads(out)['recording']['events']
ts = lambda s: datetime.datetime.fromisoformat(s.replace('Z', '+00:00')).timestamp()
dur = lambda s: float(s[2:-1] or 0)
rows = sorted((ts(e['values']['startTime']), dur(e['values']['duration']), e['values']['compileLevel'],
               e['values']['method']['type']['name'] + '.' + e['values']['method']['name'], e['values'].get('codeSize', 0), e['values'].get('isOsr')) for e in ev)
t0 = rows[0][0]; bins = collections.defaultdict(lambda: [0, 0.0])
for r in rows:
    b = bins[int(r[0] - t0)]; b[0] += 1; b[1] += r[1]
print("s since first, compilations, compile time")
for k in sorted(bins): print(k, bins[k][0], '%.0f ms' % (bins[k][1] * 1000))
print(f"longest after {late} s:")
for r in sorted((r for r in rows if r[0] - t0 > late), key=lambda r: -r[1])[:25]:
    print('%.1f ms tier %d %s code %d bytes%s' % (r[1] * 1000, r[2], r[3], r[4], ' OSR' if r[5] else ''))
