#!/bin/bash
# pid of the serve JVM started from jar $1 (not the bench, whose command line names the jar too)
for p in $(pgrep -f "$1"); do
  grep -qa RetrieveBench /proc/$p/cmdline 2>/dev/null && continue
  tr '\0' ' ' < /proc/$p/cmdline | grep -q "^.*java.* serve" && { echo $p; exit; }
done
