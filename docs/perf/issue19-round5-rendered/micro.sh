#!/bin/bash
# in-process CPU per image (parse, render, JPEG) of main vs branch jar, alternating, 300 CT files
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
echo "# $(date -u +%H:%M:%S) load $(cat /proc/loadavg)"
for k in 1 2 3; do for jar in "$@"; do echo "== $jar"; $J -cp /tmp/r5/$jar:/tmp/r5/micro RenderMicro /tmp/retrieve-h/bench/data/ct 12 | tail -3; done; done
echo "# $(date -u +%H:%M:%S) load $(cat /proc/loadavg)"
