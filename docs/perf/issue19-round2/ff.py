import json,sys,subprocess,statistics
for f in sys.argv[1:]:
    out=subprocess.run(['/usr/lib/jvm/temurin-25-jdk-amd64/bin/jfr','print','--json','--events','jdk.FileForce',f],capture_output=True,text=True).stdout
    ev=json.loads(out)['recording']['events']
    def dur(e):
        d=e['values']['duration']  # ISO-8601 like PT0.012S
        return float(d[2:-1]) if d.startswith('PT') and d.endswith('S') else 0.0
    ds=[dur(e)*1000 for e in ev]
    files=[dur(e)*1000 for e in ev if not e['values'].get('path','').endswith('/') and '.tmp' in (e['values'].get('path') or '')]
    print(f, 'events', len(ds), 'mean %.1f ms median %.1f p90 %.1f' % (statistics.mean(ds), statistics.median(ds), sorted(ds)[int(len(ds)*0.9)]) if ds else '', '| tmp-file fsyncs', len(files), 'mean %.1f' % statistics.mean(files) if files else '')
