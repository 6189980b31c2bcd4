# CPU of creating 600 empty files: in a fresh folder, then right after deleting 600 others (ext4 without a
# journal skips inodes deleted within the last dirty_expire interval: recently_deleted()), then 40 s later.
import os, time, shutil, sys
base = sys.argv[1]
def create(d, n=600):
    os.makedirs(d)
    t = time.process_time()
    for i in range(n):
        os.close(os.open(os.path.join(d, ".f%d.tmp" % i), os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644))
    return (time.process_time() - t) * 1000 / n
for r in range(2):
    a = create(os.path.join(base, "a%d" % r))
    shutil.rmtree(os.path.join(base, "a%d" % r))
    b = create(os.path.join(base, "b%d" % r))
    shutil.rmtree(os.path.join(base, "b%d" % r)); time.sleep(40)
    c = create(os.path.join(base, "c%d" % r)); shutil.rmtree(os.path.join(base, "c%d" % r))
    print("round %d: create %.3f ms CPU/file first, %.3f right after deleting 600, %.3f 40 s after" % (r, a, b, c), flush=True)
