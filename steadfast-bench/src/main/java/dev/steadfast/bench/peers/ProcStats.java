package dev.steadfast.bench.peers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time and peak RSS of a peer process and its live children, from /proc (Linux only). */
public final class ProcStats {
    private static final double TICKS = 100.0; // USER_HZ on Linux

    private ProcStats() {}

    /** utime+stime of the process and its reaped children, plus that of its live descendants, in seconds. */
    public static double cpuSeconds(long pid) {
        double total = ownAndReaped(pid);
        for (ProcessHandle h : ProcessHandle.of(pid).map(p -> p.descendants().toList()).orElse(java.util.List.of())) {
            total += ownAndReaped(h.pid());
        }
        return total;
    }

    private static double ownAndReaped(long pid) {
        try {
            String s = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            // fields after the command: state(0) ppid(1) ... utime(11) stime(12) cutime(13) cstime(14)
            return (Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14])) / TICKS;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** Peak resident set (VmHWM) in MB of the process, or of its largest live descendant if larger. */
    public static double peakRssMb(long pid) {
        double max = hwm(pid);
        for (ProcessHandle h : ProcessHandle.of(pid).map(p -> p.descendants().toList()).orElse(java.util.List.of())) {
            max = Math.max(max, hwm(h.pid()));
        }
        return max;
    }

    private static double hwm(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone
        }
        return 0;
    }
}
