package dev.steadfast.server.cli.net;

import dev.steadfast.net.dimse.ClientOptions;
import dev.steadfast.net.dimse.DimseClient;
import dev.steadfast.net.dimse.DimseException;
import dev.steadfast.net.dimse.DimseResponse;
import dev.steadfast.net.dimse.StoreSource;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "send", mixinStandardHelpOptions = true, customSynopsis = "steadfast send AE@host:port [OPTIONS] PATH...",
        description = {"Sends DICOM files and folders to a peer (C-STORE), each in its own transfer syntax.",
                "Each instance goes under its data set's SOP Class and Instance UIDs, as dcmtk's storescu does; "
                        + "a File Meta Information that says otherwise gets a warning."})
public final class SendCommand implements Callable<Integer> {
    /** At most this many (SOP class, transfer syntax) pairs per association; PS3.8 allows 128 contexts. */
    private static final int PAIRS_PER_ASSOCIATION = 60;

    /** Kept for scripts written before the peer became the first argument, as for echo, find, get and move. */
    @Option(names = "--to", paramLabel = "AE@host:port", converter = RemoteAe.Converter.class,
            description = "The storage SCP, instead of the first argument (older form, still accepted).")
    RemoteAe to;

    @Option(names = {"-j", "--jobs"}, defaultValue = "1", description = "Parallel associations (default: ${DEFAULT-VALUE}).")
    int jobs;

    @Parameters(arity = "1..*", paramLabel = "AE@host:port PATH",
            description = {"The storage SCP, then files or folders (searched recursively)."})
    List<String> arguments;

    private RemoteAe peer;
    private List<Path> paths;

    @Mixin
    AssociationOptions options;

    @Spec
    CommandSpec spec;

    private final Map<String, Integer> failures = new TreeMap<>();
    private final AtomicLong bytes = new AtomicLong();
    private final List<String> errors = new ArrayList<>();
    private int sent;
    private boolean unreachable;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        peerAndPaths();
        List<Item> sources = new ArrayList<>();
        int skipped = collect(sources, err);
        if (sources.isEmpty()) {
            err.println("error: no DICOM files found in " + paths + (skipped > 0 ? " (" + skipped + " other files skipped)" : ""));
            return Failures.FAILED;
        }
        int n = Math.max(1, Math.min(jobs, sources.size()));
        List<List<Item>> shares = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            shares.add(new ArrayList<>());
        }
        for (int i = 0; i < sources.size(); i++) {
            shares.get(i % n).add(sources.get(i));
        }
        long t0 = System.nanoTime();
        try (ProgressBar bar = System.console() == null ? null
                : new ProgressBarBuilder().setTaskName("send").setInitialMax(sources.size()).setUnit(" files", 1).build();
             ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (List<Item> share : shares) {
                done.add(pool.submit(() -> {
                    sendShare(share, bar);
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double mb = bytes.get() / 1e6;
        int failed = sources.size() - sent;
        errors.stream().limit(10).forEach(err::println);
        if (errors.size() > 10) {
            err.println("... and " + (errors.size() - 10) + " more");
        }
        out.printf("sent %d of %d to %s, %d failed%s; %.1f MB in %.2f s (%.1f MB/s)%s%n", sent, sources.size(), peer, failed,
                failures.isEmpty() ? "" : " " + failures, mb, seconds, seconds > 0 ? mb / seconds : 0,
                skipped > 0 ? "; " + skipped + " non-DICOM files skipped" : "");
        return failed == 0 ? Failures.OK : unreachable && sent == 0 ? Failures.UNREACHABLE : Failures.FAILED;
    }

    /** {@code send AE@host:port PATH...}, or the older {@code send --to AE@host:port PATH...}. */
    private void peerAndPaths() {
        List<String> rest = arguments;
        peer = to;
        if (peer == null) {
            try {
                peer = RemoteAe.parse(arguments.getFirst());
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "the first argument must be the peer: " + e.getMessage());
            }
            rest = arguments.subList(1, arguments.size());
        }
        if (rest.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "no PATH to send (usage: send AE@host:port PATH...)");
        }
        paths = rest.stream().map(Path::of).toList();
    }

    private int collect(List<Item> sources, PrintWriter err) throws IOException {
        int skipped = 0;
        for (Path p : paths) {
            if (!Files.exists(p)) {
                err.println("warning: " + p + " does not exist");
                continue;
            }
            List<Path> files;
            try (Stream<Path> s = Files.walk(p)) {
                files = s.filter(Files::isRegularFile).sorted().toList();
            }
            for (Path f : files) {
                StoreSource source;
                try {
                    source = StoreSource.ofFile(f);
                } catch (IOException | RuntimeException notDicom) {
                    skipped++;
                    continue;
                }
                for (String w : source.warnings()) {
                    err.println("warning: " + f + ": " + w);
                }
                sources.add(new Item(f, source, Files.size(f)));
            }
        }
        return skipped;
    }

    /** One worker: associations of at most {@link #PAIRS_PER_ASSOCIATION} contexts, one after another. */
    private void sendShare(List<Item> share, ProgressBar bar) {
        int from = 0;
        while (from < share.size()) {
            Set<String> pairs = new LinkedHashSet<>();
            int to = from;
            while (to < share.size() && (pairs.size() < PAIRS_PER_ASSOCIATION || pairs.contains(key(share.get(to))))) {
                pairs.add(key(share.get(to++)));
            }
            sendBatch(share.subList(from, to), pairs, bar);
            from = to;
        }
    }

    private static String key(Item i) {
        return i.source().sopClassUid() + " " + i.source().transferSyntaxUid();
    }

    /** A file to send, with its size for the throughput figure. */
    private record Item(Path file, StoreSource source, long size) {
    }

    private void sendBatch(List<Item> batch, Set<String> pairs, ProgressBar bar) {
        ClientOptions o = options.clientOptions(peer);
        Set<String> classes = new LinkedHashSet<>();
        // One context per (class, syntax) so each file can go in its own syntax, unchanged...
        for (String pair : pairs) {
            String[] p = pair.split(" ");
            o.propose(p[0], p[1]);
            classes.add(p[0]);
        }
        // ...and one per class offering both uncompressed syntaxes, for when the peer refuses the file's own.
        for (String c : classes) {
            o.propose(c, ClientOptions.UNCOMPRESSED);
        }
        int i = 0;
        while (i < batch.size()) {
            // A peer may abort over one bad file; the rest of the batch goes on a new association.
            int before = i;
            try (DimseClient c = DimseClient.open(peer.host(), peer.port(), o)) {
                for (; i < batch.size(); i++) {
                    Item item = batch.get(i);
                    try {
                        DimseResponse r = c.store(item.source(), null, -1);
                        record(item, r.status().isFailure() ? r.status() + (r.errorComment() == null ? "" : " " + r.errorComment()) : null);
                    } catch (DimseException e) {
                        record(item, e.status() + " " + e.errorComment());
                    }
                    step(bar);
                }
            } catch (Exception e) {
                String why = Failures.describe(e);
                if (i == before) { // could not even open: the peer is unreachable for this whole batch
                    synchronized (this) {
                        unreachable = true;
                    }
                    for (; i < batch.size(); i++) {
                        record(batch.get(i), why);
                        step(bar);
                    }
                } else if (i < batch.size()) {
                    record(batch.get(i++), why);
                    step(bar);
                }
            }
        }
    }

    private synchronized void record(Item item, String failure) {
        if (failure == null) {
            sent++;
            bytes.addAndGet(item.size());
            return;
        }
        failures.merge(failure.matches("^[0-9A-F]{4} \\(.*") ? failure.substring(0, 4) : "network", 1, Integer::sum);
        errors.add("failed: " + item.file() + ": " + failure);
    }

    private static void step(ProgressBar bar) {
        if (bar != null) {
            bar.step();
        }
    }
}
