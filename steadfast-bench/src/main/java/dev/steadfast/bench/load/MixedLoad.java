package dev.steadfast.bench.load;

import dev.steadfast.bench.data.DatasetGenerator;
import dev.steadfast.bench.data.Profile;
import dev.steadfast.bench.peers.Peer;
import dev.steadfast.bench.peers.Peers;
import dev.steadfast.bench.query.QueryLatency;
import dev.steadfast.bench.util.Args;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Peak resident memory while a peer ingests over N associations (storescu) and answers C-FIND and
 * QIDO-RS at the same time: one fresh peer per kind, the data sets sent together, one client
 * querying C-FIND and one QIDO-RS in a loop (the query benchmark's four kinds of query) until the
 * ingest ends. Peak RSS is the process's VmHWM.
 *
 * <pre>java -cp benchmarks.jar dev.steadfast.bench.load.MixedLoad --data DIR[,DIR] --work DIR
 *      [--peers serve,orthanc] [--assocs 16] [--seed 1] [--studies 3]</pre>
 * The generator's seed, profile and study count name the studies the queries look for (those of
 * the first data set).
 */
public final class MixedLoad {
    public static void main(String[] argv) throws Exception {
        Args a = new Args(argv, "MixedLoad --data DIR[,DIR] --work DIR [--peers serve,orthanc] [--assocs 16]");
        List<Path> files = new ArrayList<>();
        for (String d : a.required("data").split(",")) {
            files.addAll(StoreLoad.manifest(Path.of(d)));
        }
        int assocs = a.getInt("assocs", 16);
        int studies = a.getInt("studies", 3);
        DatasetGenerator gen = new DatasetGenerator(a.getLong("seed", 1), Profile.valueOf(a.get("profile", "ct").toUpperCase(Locale.ROOT)),
                studies);
        Peers peers = new Peers(Path.of(a.required("work")), null);
        for (String kind : a.list("peers", "serve,orthanc")) {
            try (Peer p = peers.start(kind, true)) {
                AtomicBoolean done = new AtomicBoolean();
                AtomicLong finds = new AtomicLong();
                AtomicLong qidos = new AtomicLong();
                AtomicLong errors = new AtomicLong();
                Thread cfind = Thread.ofPlatform().start(() -> {
                    long seed = 1;
                    while (!done.get()) {
                        try {
                            QueryLatency.cfind("127.0.0.1", p.dicomPort(), p.aeTitle(), gen, studies, 0, 5, seed++);
                            finds.addAndGet(5L * QueryLatency.KINDS.size());
                        } catch (Exception e) {
                            errors.incrementAndGet();
                        }
                    }
                });
                Thread qido = Thread.ofPlatform().start(() -> {
                    long seed = 1;
                    while (!done.get()) {
                        try {
                            QueryLatency.qido(p.qidoBase(), gen, studies, 0, 5, seed++);
                            qidos.addAndGet(5L * QueryLatency.KINDS.size());
                        } catch (Exception e) {
                            errors.incrementAndGet();
                        }
                    }
                });
                StoreLoad.Result r;
                try {
                    r = StoreLoad.send("storescu", "127.0.0.1", p.dicomPort(), p.aeTitle(), files, assocs);
                } finally {
                    done.set(true);
                    cfind.join();
                    qido.join();
                }
                System.out.printf(Locale.ROOT, "%-10s %d instances (%.0f MB) over %d associations in %.1f s (%.0f inst/s, %d failed),"
                                + " with %d C-FIND and %d QIDO-RS answered meanwhile (%d query errors): peak RSS %.0f MB, CPU %.1f s%n",
                        kind, r.instances(), r.bytes() / 1e6, assocs, r.seconds(), r.instances() / r.seconds(), r.failures(),
                        finds.get(), qidos.get(), errors.get(), p.peakRssMb(), p.cpuSeconds());
            }
        }
    }
}
