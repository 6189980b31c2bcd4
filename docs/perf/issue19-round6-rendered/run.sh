#!/bin/bash
# usage: run.sh LOG WORKNAME -Dprops... -- bench args
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 TCP_NODELAY=1
log=$1; shift; wn=$1; shift
props=(); while [ "$1" != "--" ]; do props+=("$1"); shift; done; shift
rm -rf /tmp/r7/work-$wn
{ echo "# $(date -u +%H:%M:%S) start, load: $(cat /proc/loadavg)"; echo "# props: ${props[*]}"; echo "# args: $*";
  $JAVA_HOME/bin/java --enable-native-access=ALL-UNNAMED "${props[@]}" -cp /tmp/r7/bench.jar dev.steadfast.bench.retrieve.RetrieveBench \
    --ct /tmp/retrieve-h/bench/data/ct --work /tmp/r7/work-$wn "$@" 2>&1 | grep -v '^\[';
  echo "# $(date -u +%H:%M:%S) end, load: $(cat /proc/loadavg)"; } > $log
grep -rh "render warm-up" /tmp/r7/work-$wn --include=log.txt | sed "s/^/# serve log: /" >> $log
rm -rf /tmp/r7/work-$wn
