# CPU of creating 600 empty files (O_CREAT|O_EXCL), in a new folder under each given parent; files are left in place
import os, sys, time
for r in range(2):
    for parent in sys.argv[1:]:
        d = os.path.join(parent, "cc-%d-%d" % (os.getpid(), r)); os.makedirs(d)
        t = time.process_time()
        for i in range(600):
            os.close(os.open(os.path.join(d, ".f%d.tmp" % i), os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644))
        print("round %d %-20s %.3f ms CPU/file (inode of folder %d)" % (r, parent, (time.process_time() - t) * 1000 / 600, os.stat(d).st_ino), flush=True)
