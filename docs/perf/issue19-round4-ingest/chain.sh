#!/bin/bash
# the serial steps of one instance on this disk (SerialChain), 300 files, in a top-level folder and under /tmp
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
echo "load start $(cat /proc/loadavg) $(date -u +%T)"
for d in /ing4-chain /tmp/ing4/chainrun; do
  rm -rf $d; echo "== $d"
  $JAVA_HOME/bin/java --enable-native-access=ALL-UNNAMED -cp /tmp/ing4/main.jar:/tmp/ing4/chain SerialChain $d 300 2>&1 | grep -v "^\[\|WARN\|SLF4J"
done
echo "load end $(cat /proc/loadavg) $(date -u +%T)"
python3 /tmp/ing4/scripts/createcost.py /tmp/ing4/cc / 
rm -rf /ing4-chain /tmp/ing4/chainrun
