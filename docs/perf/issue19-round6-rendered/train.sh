#!/bin/bash
# AOT caches as the launcher trains them: the jar's first serve (load, 30 rendered), -XX:AOTCacheOutput
cd /tmp/r7
rm -f main.aot br.aot
./run.sh train-main.log tm -Dbench.serve.mtrain.jar=/tmp/r7/main.jar "-Dbench.serve.mtrain.jvm=-XX:AOTCacheOutput=/tmp/r7/main.aot -Xlog:aot*=off -Xlog:cds*=off" -- --peers serve:mtrain --what rendered --rendered 30
./run.sh train-br.log tb -Dbench.serve.btrain.jar=/tmp/r7/br.jar "-Dbench.serve.btrain.jvm=-XX:AOTCacheOutput=/tmp/r7/br.aot -Xlog:aot*=off -Xlog:cds*=off" -- --peers serve:btrain --what rendered --rendered 30
ls -la /tmp/r7/*.aot
