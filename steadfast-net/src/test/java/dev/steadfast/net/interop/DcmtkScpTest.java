package dev.steadfast.net.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.VR;
import dev.steadfast.dicom.dictionary.UidRegistry;
import dev.steadfast.testing.Corpus;
import dev.steadfast.testing.Peers;
import dev.steadfast.net.TestScp;
import dev.steadfast.net.assoc.AssociationConfig;
import dev.steadfast.net.dimse.ClientOptions;
import dev.steadfast.net.dimse.DimseClient;
import dev.steadfast.net.dimse.DimseResponse;
import dev.steadfast.net.dimse.Status;
import dev.steadfast.net.dimse.StoreSource;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Our SCU against dcmtk's storescp and dcmqrscp. */
class DcmtkScpTest {
    @TempDir
    Path tmp;

    /** Storage instances of the corpus that dcmtk can parse, one per (SOP class, syntax) where possible. */
    static List<StoreSource> corpusSources(boolean uncompressedOnly) throws Exception {
        List<StoreSource> out = new ArrayList<>();
        Set<String> uids = new java.util.HashSet<>();
        for (Corpus.Entry row : Corpus.wellFormed()) {
            if (row.transferSyntax().contains("no meta") || !UidRegistry.storageSopClasses().contains(row.sopClassUid())) {
                continue;
            }
            if (uncompressedOnly && !ClientOptions.UNCOMPRESSED.contains(row.transferSyntaxUid())) {
                continue;
            }
            StoreSource s;
            try {
                s = StoreSource.ofFile(row.path());
            } catch (java.io.IOException noUids) {
                continue;
            }
            if (uncompressedOnly && TestScp.headerOf(s).getString(Tag.SeriesInstanceUID) == null) {
                continue; // a query/retrieve archive cannot file an instance without its study and series
            }
            if (uncompressedOnly) {
                try {
                    tags(bytes(s), s.transferSyntaxUid());
                } catch (java.io.IOException truncated) {
                    continue; // the corpus keeps some damaged files outside corrupt/ too
                }
            }
            if (Files.size(row.path()) % 2 != 0) {
                continue; // an odd-length data set cannot be cut into the even fragments dcmtk insists on
            }
            if (uids.add(s.sopInstanceUid())) {
                out.add(s);
            }
        }
        return out;
    }

    static ClientOptions proposeEach(ClientOptions o, List<StoreSource> sources) {
        Set<String> pcs = new LinkedHashSet<>();
        for (StoreSource s : sources) {
            pcs.add(s.sopClassUid() + " " + s.transferSyntaxUid());
        }
        for (String pc : pcs) {
            String[] p = pc.split(" ");
            o.propose(p[0], p[1]);
        }
        return o;
    }

    static byte[] bytes(StoreSource s) throws Exception {
        try (InputStream in = s.openDataset()) {
            return in.readAllBytes();
        }
    }

    /** The top-level tags of a data set, trailing padding aside. */
    static List<Integer> tags(byte[] dataset, String ts) throws Exception {
        Dataset ds = dev.steadfast.dicom.io.DicomReader.readDataset(new java.io.ByteArrayInputStream(dataset), ts);
        ds.remove(0xFFFCFFFC);
        List<Integer> t = new ArrayList<>();
        for (int tag : ds.tags()) {
            t.add(tag);
        }
        return t;
    }

    @Test
    void storescpReceivesByteIdenticalDataSetsInTheirOwnSyntax() throws Exception {
        String storescp = Peers.tool("storescp");
        List<StoreSource> sources = corpusSources(false).subList(0, 40);
        int port = Peers.freePort();
        Path out = Files.createDirectories(tmp.resolve("in"));
        Process p = Peers.start(List.of(storescp, "+B", "+xa", "-aet", "STORESCP", "-od", out.toString(), String.valueOf(port)),
                tmp.resolve("storescp.log"));
        Set<String> syntaxes = new TreeSet<>();
        try {
            Peers.awaitPort(port, p, 10_000);
            try (DimseClient c = DimseClient.open("127.0.0.1", port, proposeEach(new ClientOptions().calledAeTitle("STORESCP"), sources))) {
                for (StoreSource s : sources) {
                    if (c.association().presentationContexts().values().stream()
                            .noneMatch(pc -> pc.accepted() && pc.abstractSyntax().equals(s.sopClassUid()) && pc.transferSyntax().equals(s.transferSyntaxUid()))) {
                        continue; // storescp does not know this syntax (HTJ2K, JPEG XL in dcmtk 3.6.7)
                    }
                    DimseResponse r;
                    try {
                        r = c.store(s, null, -1);
                    } catch (java.io.IOException e) {
                        throw new AssertionError(s + ": " + e + "\n" + Files.readString(tmp.resolve("storescp.log")), e);
                    }
                    assertThat(r.status()).as(s + " " + r).isEqualTo(Status.SUCCESS);
                    syntaxes.add(s.transferSyntaxUid());
                }
            }
        } finally {
            Peers.stop(p);
        }
        Map<String, Path> byUid = new HashMap<>();
        try (var files = Files.list(out)) {
            for (Path f : files.toList()) {
                byUid.put(StoreSource.ofFile(f).sopInstanceUid(), f);
            }
        }
        int compared = 0;
        for (StoreSource s : sources) {
            Path f = byUid.get(s.sopInstanceUid());
            if (f == null) {
                continue;
            }
            assertThat(StoreSource.ofFile(f).transferSyntaxUid()).isEqualTo(s.transferSyntaxUid());
            assertThat(TestScp.sha256(TestScp.datasetBytes(f))).as(s.toString()).isEqualTo(TestScp.sha256(bytes(s)));
            compared++;
        }
        assertThat(compared).isEqualTo(byUid.size()).isGreaterThan(25);
        assertThat(syntaxes.size()).isGreaterThanOrEqualTo(10);
    }

    @Test
    void dcmqrscpStoreFindMoveGet() throws Exception {
        String dcmqrscp = Peers.tool("dcmqrscp");
        List<StoreSource> sources = corpusSources(true).subList(0, 4);
        int port = Peers.freePort();
        try (TestScp dest = new TestScp("STEADFAST", AssociationConfig.DEFAULTS, 4, null)) {
            Path db = Files.createDirectories(tmp.resolve("db"));
            Path cfg = Files.writeString(tmp.resolve("dcmqrscp.cfg"), """
                    NetworkTCPPort = %d
                    MaxPDUSize = 16384
                    MaxAssociations = 16
                    HostTable BEGIN
                    steadfast = (STEADFAST, 127.0.0.1, %d)
                    HostTable END
                    VendorTable BEGIN
                    VendorTable END
                    AETable BEGIN
                    QRSCP %s RW (200, 1024mb) ANY
                    AETable END
                    """.formatted(port, dest.port(), db));
            Process p = Peers.start(List.of(dcmqrscp, "-s", "+B", "-c", cfg.toString()), tmp.resolve("dcmqrscp.log"));
            try {
                Peers.awaitPort(port, p, 10_000);
                ClientOptions o = proposeEach(new ClientOptions().calledAeTitle("QRSCP").callingAeTitle("STEADFAST"), sources)
                        .propose(UID.StudyRootQueryRetrieveInformationModelFind, ClientOptions.UNCOMPRESSED)
                        .propose(UID.StudyRootQueryRetrieveInformationModelMove, ClientOptions.UNCOMPRESSED)
                        .propose(UID.StudyRootQueryRetrieveInformationModelGet, ClientOptions.UNCOMPRESSED);
                for (StoreSource s : sources) {
                    o.scpRole(s.sopClassUid());
                }
                try (DimseClient c = DimseClient.open("127.0.0.1", port, o)) {
                    for (StoreSource s : sources) {
                        assertThat(c.store(s, null, -1).status()).isEqualTo(Status.SUCCESS);
                    }
                    // C-FIND at IMAGE level per study: every stored instance comes back
                    Set<String> found = new TreeSet<>();
                    for (StoreSource s : sources) {
                        Dataset study = TestScp.headerOf(s);
                        Dataset keys = new Dataset().setString(Tag.QueryRetrieveLevel, VR.CS, "IMAGE")
                                .setString(Tag.StudyInstanceUID, VR.UI, study.getString(Tag.StudyInstanceUID))
                                .setString(Tag.SeriesInstanceUID, VR.UI, study.getString(Tag.SeriesInstanceUID))
                                .setString(Tag.SOPInstanceUID, VR.UI, "");
                        DimseResponse r = c.find(UID.StudyRootQueryRetrieveInformationModelFind, keys, m -> found.add(m.getString(Tag.SOPInstanceUID)));
                        assertThat(r.status()).isEqualTo(Status.SUCCESS);
                    }
                    Set<String> expected = new TreeSet<>();
                    sources.forEach(s -> expected.add(s.sopInstanceUid()));
                    assertThat(found).containsAll(expected);

                    // C-MOVE each instance to our SCP, C-GET it back over this association
                    Map<String, byte[]> got = new HashMap<>();
                    Map<String, String> gotTs = new HashMap<>();
                    for (StoreSource s : sources) {
                        Dataset h = TestScp.headerOf(s);
                        Dataset keys = new Dataset().setString(Tag.QueryRetrieveLevel, VR.CS, "IMAGE")
                                .setString(Tag.StudyInstanceUID, VR.UI, h.getString(Tag.StudyInstanceUID))
                                .setString(Tag.SeriesInstanceUID, VR.UI, h.getString(Tag.SeriesInstanceUID))
                                .setString(Tag.SOPInstanceUID, VR.UI, s.sopInstanceUid());
                        DimseResponse r = c.move(UID.StudyRootQueryRetrieveInformationModelMove, "STEADFAST", keys, null);
                        assertThat(r.status()).as(r.toString()).isEqualTo(Status.SUCCESS);
                        assertThat(r.completed()).isEqualTo(1);
                        r = c.get(UID.StudyRootQueryRetrieveInformationModelGet, keys, (rq, data) -> {
                            got.put(rq.sopInstanceUid(), data.readAllBytes());
                            gotTs.put(rq.sopInstanceUid(), rq.transferSyntaxUid());
                            return Status.SUCCESS;
                        }, null);
                        assertThat(r.status()).as(r.toString()).isEqualTo(Status.SUCCESS);
                    }
                    // dcmqrscp keeps what we stored bit for bit (+B, checked below) but re-encodes what it sends
                    // (trailing padding dropped, sequence lengths changed), so what we received by C-MOVE and by
                    // C-GET must equal each other and hold the original's elements.
                    for (StoreSource s : sources) {
                        String ts = s.transferSyntaxUid();
                        TestScp.Received moved = dest.received.get(s.sopInstanceUid());
                        assertThat(tags(got.get(s.sopInstanceUid()), gotTs.get(s.sopInstanceUid()))).as("got " + s).isEqualTo(tags(bytes(s), ts));
                        assertThat(tags(moved.dataset(), moved.transferSyntaxUid())).as("moved " + s).isEqualTo(tags(bytes(s), ts));
                    }
                    int stored = 0;
                    try (var files = Files.walk(db)) {
                        for (Path f : files.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().equals("index.dat")).toList()) {
                            StoreSource inDb = StoreSource.ofFile(f);
                            StoreSource original = sources.stream().filter(x -> x.sopInstanceUid().equals(inDb.sopInstanceUid())).findFirst().orElseThrow();
                            assertThat(TestScp.sha256(bytes(inDb))).isEqualTo(TestScp.sha256(bytes(original)));
                            stored++;
                        }
                    }
                    assertThat(stored).isEqualTo(sources.size());
                }
            } finally {
                Peers.stop(p);
            }
        }
    }
}
