#!/usr/bin/env python3
"""Top frames of jdk.ExecutionSample / NativeMethodSample from `jfr print` text. Usage: jfrtop.py FILE.jfr [filter-substring] [events]"""
import subprocess, sys, collections, re
f = sys.argv[1]; filt = sys.argv[2] if len(sys.argv) > 2 and sys.argv[2] else None
events = sys.argv[3] if len(sys.argv) > 3 else "jdk.ExecutionSample"
out = subprocess.run(["/usr/lib/jvm/temurin-25-jdk-amd64/bin/jfr", "print", "--events", events, "--stack-depth", "80", f],
                     capture_output=True, text=True).stdout
samples = out.split("\njdk.")
top = collections.Counter(); incl = collections.Counter(); n = 0
for s in samples:
    frames = re.findall(r"^\s+([\w$.<>]+\(.*?\))\s+line:", s, re.M)
    if not frames: continue
    if filt and not any(filt in fr for fr in frames): continue
    n += 1
    top[frames[0].split("(")[0]] += 1
    for fr in set(x.split("(")[0] for x in frames): incl[fr] += 1
print(f"{n} samples" + (f" with {filt} on the stack" if filt else ""))
print("-- top frames (self)")
for k, v in top.most_common(25): print(f"{v:6d} {100*v/n:5.1f}%  {k}")
print("-- inclusive")
for k, v in incl.most_common(40): print(f"{v:6d} {100*v/n:5.1f}%  {k}")
