# compilations per second of serve's uptime, by tier, from -Xlog:jit+compilation=debug output; then what was compiled late
import re, sys, collections
f = sys.argv[1]; late = float(sys.argv[2]) if len(sys.argv) > 2 else 15
bins = collections.Counter(); lv = collections.defaultdict(collections.Counter); pk = collections.Counter()
for l in open(f):
    m = re.match(r'\[(\d+\.\d+)s\]\s+(\d+)\s+([%sbn! ]*)\s*(\d)\s+(\S+)', l)
    if not m or 'made not entrant' in l:
        continue
    t = float(m.group(1)); bins[int(t)] += 1; lv[int(t)][m.group(4)] += 1
    if t >= late:
        pk[('.'.join(m.group(5).split('::')[0].split('.')[:3]), 'tier ' + m.group(4))] += 1
print("uptime s, compilations, by tier")
for k in sorted(bins): print(k, bins[k], dict(sorted(lv[k].items())))
print(f"compiled after {late} s, by package and tier:")
for k, v in pk.most_common(25): print(v, k)
