package dev.steadfast.bench.retrieve;

import dev.steadfast.bench.data.DatasetGenerator;
import dev.steadfast.bench.data.Profile;
import dev.steadfast.bench.load.StoreLoad;
import dev.steadfast.bench.peers.Peer;
import dev.steadfast.bench.peers.Peers;
import dev.steadfast.bench.util.Args;
import dev.steadfast.bench.util.Stats;
import dev.steadfast.dicom.UID;
import dev.steadfast.net.assoc.AssociationConfig;
import dev.steadfast.net.assoc.AssociationListener;
import dev.steadfast.net.dimse.CMoveService;
import dev.steadfast.net.dimse.ClientOptions;
import dev.steadfast.net.dimse.DimseClient;
import dev.steadfast.net.dimse.DimseServer;
import dev.steadfast.net.dimse.ServiceRegistry;
import dev.steadfast.net.dimse.StoreSource;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the dcmtk receivers of the retrieve benchmark can take at all (issue 19): the study's data
 * sets held in memory (no file read, no check, no index) and sent with our sender, so the time left
 * is the network layer's and the receiver's.
 * <ul>
 *   <li>{@code send}: one association from this process to storescp, one C-STORE after the other;
 *       {@code send2}: two such associations at once, each with half of the study;</li>
 *   <li>{@code move}: movescu asks an in-process retrieve SCP (our {@code RetrieveScp}, as serve's)
 *       that sends from memory to storescp; {@code move2} the same over two associations at once;</li>
 *   <li>{@code get}: getscu asks the same SCP, which sends back over getscu's association;</li>
 *   <li>{@code storescu}: dcmtk's storescu sending the study's files to the same storescp.</li>
 * </ul>
 * Rounds visit them in rotated order; round 0 is dropped.
 *
 * <pre>java -cp benchmarks.jar dev.steadfast.bench.retrieve.ReceiverCeiling --ct DIR --work DIR [--study 1] [--repeats 15]</pre>
 */
public final class ReceiverCeiling {
    private ReceiverCeiling() {
    }

    /** A data set held in memory, sent as often as asked. */
    private record Held(String sopClassUid, String sopInstanceUid, String transferSyntaxUid, ByteBuffer bytes) implements StoreSource {
        @Override
        public InputStream openDataset() {
            ByteBuffer b = bytes.duplicate();
            byte[] a = new byte[b.remaining()];
            b.get(a);
            return new ByteArrayInputStream(a);
        }

        @Override
        public ByteBuffer heldDataset() {
            return bytes.duplicate();
        }
    }

    public static void main(String[] argv) throws Exception {
        Args a = new Args(argv, "ReceiverCeiling --ct DIR --work DIR [--study 1] [--repeats 15]");
        Path ct = Path.of(a.required("ct"));
        int studyIndex = a.getInt("study", 1);
        int repeats = a.getInt("repeats", 15);
        String prefix = String.format(Locale.ROOT, "s%06d", studyIndex);
        List<Path> files = StoreLoad.manifest(ct).stream().filter(f -> ct.relativize(f).startsWith(prefix)).toList();
        String studyUid = new DatasetGenerator(a.getLong("seed", 1), Profile.CT, a.getInt("studies", 3)).study(studyIndex).studyUid();
        List<Held> study = new ArrayList<>();
        for (Path f : files) {
            StoreSource s = StoreSource.ofFile(f);
            byte[] ds;
            try (InputStream in = s.openDataset()) {
                ds = in.readAllBytes();
            }
            ByteBuffer b = ByteBuffer.allocateDirect(ds.length).put(ds).flip();
            study.add(new Held(s.sopClassUid(), s.sopInstanceUid(), s.transferSyntaxUid(), b));
        }
        Path work = Path.of(a.required("work"));
        Peers peers = new Peers(work, null);
        try (Peer scp = peers.start("storescp", false)) {
            int scpPort = scp.dicomPort();
            ServiceRegistry registry = ServiceRegistry.builder()
                    .get(UID.StudyRootQueryRetrieveInformationModelGet, (rq, keys) -> study)
                    .move(UID.StudyRootQueryRetrieveInformationModelMove, new CMoveService() {
                        @Override
                        public List<? extends StoreSource> retrieve(dev.steadfast.net.dimse.DimseRequest rq, dev.steadfast.dicom.Dataset keys) {
                            return study;
                        }

                        @Override
                        public MoveDestination destination(String ae) { // MOVE2: two associations at once (issue 19)
                            return new MoveDestination("STORESCP", "127.0.0.1", scpPort, null, ae.equals("MOVE2") ? 2 : 1);
                        }
                    })
                    .build();
            try (AssociationListener memory = DimseServer.start(InetAddress.getLoopbackAddress(), 0, AssociationConfig.DEFAULTS,
                    DimseServer.policyFor(registry).build(), registry, 4, null)) {
                Path getOut = work.resolve("getscu");
                Map<String, List<Double>> t = new LinkedHashMap<>();
                List<String> kinds = List.of("send", "send2", "move", "move2", "get", "storescu");
                for (int r = 0; r <= repeats; r++) {
                    for (int i = 0; i < kinds.size(); i++) {
                        String kind = kinds.get((i + r) % kinds.size());
                        Peers.deleteTree(scp.storage());
                        Files.createDirectories(scp.storage());
                        Peers.deleteTree(getOut);
                        Files.createDirectories(getOut);
                        long t0 = System.nanoTime();
                        switch (kind) {
                            case "send" -> send(study, scpPort);
                            case "send2" -> { // two associations at once, each half of the study (storescp --fork takes both)
                                var half = java.util.concurrent.CompletableFuture.runAsync(() -> {
                                    try {
                                        send(study.subList(0, study.size() / 2), scpPort);
                                    } catch (Exception e) {
                                        throw new IllegalStateException(e);
                                    }
                                });
                                send(study.subList(study.size() / 2, study.size()), scpPort);
                                half.join();
                            }
                            case "move", "move2" -> dcmtk("movescu", "-S", "-aet", "BENCHSCU", "-aec", "MEMORY",
                                    "-aem", kind.equals("move2") ? "MOVE2" : "STORESCP",
                                    "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=" + studyUid, "127.0.0.1",
                                    String.valueOf(memory.port()));
                            case "get" -> dcmtk("getscu", "-S", "-aet", "BENCHSCU", "-aec", "MEMORY", "-od", getOut.toString(),
                                    "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=" + studyUid, "127.0.0.1",
                                    String.valueOf(memory.port()));
                            default -> {
                                StoreLoad.Result res = StoreLoad.send("storescu", "127.0.0.1", scpPort, "STORESCP", files, 1);
                                check(res.failures() == 0, "storescu failed " + res.failures());
                            }
                        }
                        double ms = (System.nanoTime() - t0) / 1e6;
                        long delivered;
                        try (var l = Files.list(kind.equals("get") ? getOut : scp.storage())) {
                            delivered = l.count();
                        }
                        check(delivered == study.size(), kind + " delivered " + delivered);
                        if (r > 0) {
                            t.computeIfAbsent(kind, k -> new ArrayList<>()).add(ms);
                        }
                    }
                }
                for (String kind : kinds) {
                    List<Double> v = t.get(kind);
                    System.out.printf(Locale.ROOT, "%-9s %d instances from memory: median %.0f ms (%.2f ms per instance) %s%n", kind,
                            study.size(), Stats.median(v), Stats.median(v) / study.size(),
                            v.stream().map(x -> String.format(Locale.ROOT, "%.0f", x)).toList());
                }
            }
        }
    }

    private static void send(List<Held> study, int port) throws Exception {
        ClientOptions o = new ClientOptions().callingAeTitle("BENCHSCU").calledAeTitle("STORESCP");
        for (String cuid : study.stream().map(Held::sopClassUid).distinct().toList()) {
            for (String ts : study.stream().filter(h -> h.sopClassUid().equals(cuid)).map(Held::transferSyntaxUid).distinct().toList()) {
                o.propose(cuid, ts);
            }
        }
        try (DimseClient c = DimseClient.open("127.0.0.1", port, o)) {
            for (Held h : study) {
                check(c.store(h, null, -1).status().isSuccess(), "C-STORE of " + h.sopInstanceUid());
            }
        }
    }

    private static void dcmtk(String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("TCP_NODELAY", "1");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        check(p.waitFor() == 0, cmd[0] + ": " + out);
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException(what);
        }
    }
}
