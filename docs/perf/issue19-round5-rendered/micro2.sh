#!/bin/bash
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
echo "# $(date -u +%H:%M:%S) load $(cat /proc/loadavg)"
for k in 1 2; do for cp in "$@"; do echo "== $cp"; $J -cp $cp:/tmp/r5/micro RenderMicro /tmp/retrieve-h/bench/data/ct 10 | tail -2; done; done
echo "# $(date -u +%H:%M:%S) load $(cat /proc/loadavg)"
