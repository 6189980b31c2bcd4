#!/bin/bash
cd /tmp/r7
./idle.sh > idle.log 2>&1
REPEATS=3 ASSOCS=1 ./ingest.sh ingest1
