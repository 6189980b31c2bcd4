#!/bin/bash
# alternate: python loop with the 64-hex xattr vs without; 1 and 4 writers; wall seconds for 300 files each
cat /proc/loadavg
for r in 1 2 3; do
 for v in xattr none; do
  for w in 1 4; do
   rm -rf /tmp/ing3/ot/x; mkdir -p /tmp/ing3/ot/x
   s=$(date +%s.%N)
   for k in $(seq $w); do XA=$v python3 create_loop.py /tmp/ing3/ot/x/$k 300 & done; wait
   e=$(date +%s.%N)
   echo "round $r $v writers $w: $(echo "($e-$s)*1000/(300*$w)" | bc -l | cut -c1-5) ms/file wall"
  done
 done
done
cat /proc/loadavg
rm -rf /tmp/ing3/ot/x
