// Summarises the jdk.CPUTimeSample events of JFR recordings inside a time window (bench/cluster.sh
// --profile prints each phase's window): samples by thread kind, by self frame, and by the first
// frame in each of the given packages (where the archive's own code spends, callees included).
//
//   java bench/JfrWindow.java FROM_MS TO_MS TOP FILE.jfr...      (JDK 25)
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

void main(String[] args) throws Exception {
    long from = Long.parseLong(args[0]);
    long to = Long.parseLong(args[1]);
    int top = Integer.parseInt(args[2]);
    Map<String, Integer> threads = new HashMap<>();
    Map<String, Integer> self = new HashMap<>();
    Map<String, Integer> ours = new HashMap<>();
    Map<String, Integer> area = new HashMap<>();
    int total = 0;
    for (int i = 3; i < args.length; i++) {
        try (RecordingFile f = new RecordingFile(Path.of(args[i]))) {
            while (f.hasMoreEvents()) {
                var e = f.readEvent();
                if (!e.getEventType().getName().equals("jdk.CPUTimeSample")) {
                    continue;
                }
                long t = e.getStartTime().toEpochMilli();
                if (t < from || t > to || e.getStackTrace() == null) {
                    continue;
                }
                total++;
                var thread = e.getThread("eventThread");
                String name = thread == null ? "?" : (thread.isVirtual() ? "virtual" : thread.getJavaName());
                threads.merge(name == null ? "?" : name.replaceAll("[0-9]+", "#"), 1, Integer::sum);
                var frames = e.getStackTrace().getFrames();
                if (frames.isEmpty()) {
                    continue;
                }
                self.merge(name(frames.getFirst()), 1, Integer::sum);
                String first = null;
                for (RecordedFrame fr : frames) {
                    String n = name(fr);
                    if (n.startsWith("dev.steadfast.")) {
                        first = n;
                        break;
                    }
                }
                ours.merge(first == null ? "(no steadfast frame)" : first, 1, Integer::sum);
                area.merge(area(frames), 1, Integer::sum);
            }
        }
    }
    System.out.println("samples in window: " + total);
    print("by thread", threads, total, top);
    print("by area (outermost recognised frame)", area, total, top);
    print("self frame", self, total, top);
    print("first steadfast frame", ours, total, top);
}

String name(RecordedFrame f) {
    return f.getMethod().getType().getName() + "." + f.getMethod().getName();
}

/** A coarse bucket from the stack, bottom-up: which part of the archive's work a sample belongs to. */
String area(java.util.List<RecordedFrame> frames) {
    String[][] rules = {
        {"pgjdbc", "org.postgresql."}, {"hikari", "com.zaxxer.hikari."}, {"db-scheduler", "com.github.kagkarlsson."},
        {"jetty", "org.eclipse.jetty."}, {"jfr", "jdk.jfr."},
        {"claim", "dev.steadfast.archive.index.InstanceClaim"}, {"group commit", "dev.steadfast.archive.ingest.GroupCommit"},
        {"index writer", "dev.steadfast.archive.ingest.IndexWriter"}, {"storage", "dev.steadfast.archive.storage."},
        {"rejections", "dev.steadfast.archive.iocm."}, {"cluster", "dev.steadfast.archive.cluster."},
        {"ingest", "dev.steadfast.archive.ingest."}, {"dicom parse/write", "dev.steadfast.dicom."},
        {"net/dimse", "dev.steadfast.net."}, {"server", "dev.steadfast.server."},
    };
    // innermost recognised library wins over the archive code calling it
    for (RecordedFrame f : frames) {
        String n = name(f);
        for (String[] r : rules) {
            if (n.startsWith(r[1])) {
                return r[0];
            }
        }
    }
    return "other: " + name(frames.getFirst());
}

void print(String title, Map<String, Integer> m, int total, int top) {
    System.out.println("-- " + title);
    m.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top)
            .forEach(e -> System.out.printf("%6d %5.1f%%  %s%n", e.getValue(), 100.0 * e.getValue() / Math.max(1, total), e.getKey()));
}
