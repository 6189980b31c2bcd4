# JFR CPU-time samples of the rendered/thumbnail request threads (virtual threads: undersampled, shares only), inclusive and self
import re, sys, collections, subprocess
out = subprocess.run(["/usr/lib/jvm/temurin-25-jdk-amd64/bin/jfr", "print", "--events", "jdk.CPUTimeSample", "--stack-depth", "100", sys.argv[1]], capture_output=True, text=True).stdout
ev = []
for s in out.split("\njdk.CPUTimeSample")[1:]:
    t = re.search(r"startTime = (\S+)", s); th = re.search(r'eventThread = "([^"]*)"', s)
    ev.append((t.group(1) if t else "", th.group(1) if th else "?", re.findall(r"^\s+([\w$.<>/]+)\(.*?\)\s+line:", s, re.M)))
ts = sorted(e[0] for e in ev if any("RenderedService" in f for f in e[2]))
win = [e for e in ev if e[0] >= ts[len(ts) // 4]]  # after the first quarter of the rendering samples
print("samples by thread:", collections.Counter(re.sub(r"\d+", "N", e[1]) for e in win).most_common(6))
req = [e for e in win if any("RenderedService.render" in f for f in e[2])]
inc = collections.Counter()
for e in req:
    for f in set(e[2]): inc[f] += 1
print(len(req), "request-thread samples; inclusive:")
for k, v in inc.most_common(80):
    if any(x in k for x in ['steadfast', 'sqlite', 'Digest', 'CRC', 'IOUtil.read', 'newInputStream']): print(' %3d %3.0f%% %s' % (v, 100 * v / len(req), k))
print("self:")
for k, v in collections.Counter(e[2][0] for e in req if e[2]).most_common(15): print(' ', v, k)
