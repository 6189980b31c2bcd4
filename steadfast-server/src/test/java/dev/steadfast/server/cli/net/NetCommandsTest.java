package dev.steadfast.server.cli.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.VR;
import dev.steadfast.dicom.dictionary.UidRegistry;
import dev.steadfast.dicom.io.DicomWriter;
import dev.steadfast.net.assoc.AssociationConfig;
import dev.steadfast.net.assoc.AssociationListener;
import dev.steadfast.net.dimse.CMoveService;
import dev.steadfast.net.dimse.DimseRequest;
import dev.steadfast.net.dimse.DimseServer;
import dev.steadfast.net.dimse.ServiceRegistry;
import dev.steadfast.net.dimse.Status;
import dev.steadfast.net.dimse.StoreSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The network commands against our own SCP, run through picocli as the launcher runs them. */
class NetCommandsTest {
    @TempDir
    Path tmp;
    private AssociationListener scp;
    private final Map<String, byte[]> stored = new ConcurrentHashMap<>();
    private final List<StoreSource> archive = new CopyOnWriteArrayList<>();
    private String out;
    private String err;

    @BeforeEach
    void start() throws IOException {
        CMoveService move = new CMoveService() {
            public List<? extends StoreSource> retrieve(DimseRequest rq, Dataset keys) {
                return archive;
            }

            public MoveDestination destination(String ae) {
                return ae.equals("SELF") ? new MoveDestination("SCP", "127.0.0.1", scp.port()) : null;
            }
        };
        ServiceRegistry registry = ServiceRegistry.builder()
                .store(UidRegistry.storageSopClasses(), (rq, data) -> {
                    stored.put(rq.sopInstanceUid(), data.readAllBytes());
                    return Status.SUCCESS;
                })
                .find(UID.StudyRootQueryRetrieveInformationModelFind, (rq, keys, responder) -> {
                    for (StoreSource s : archive) {
                        responder.pending(new Dataset().setString(Tag.QueryRetrieveLevel, VR.CS, "STUDY")
                                .setString(Tag.SOPInstanceUID, VR.UI, s.sopInstanceUid()));
                    }
                })
                .get(UID.StudyRootQueryRetrieveInformationModelGet, (rq, keys) -> archive)
                .move(UID.StudyRootQueryRetrieveInformationModelMove, move)
                .build();
        scp = DimseServer.start(InetAddress.getLoopbackAddress(), 0, AssociationConfig.DEFAULTS,
                DimseServer.policyFor(registry, "SCP").build(), registry, 8, null);
    }

    @AfterEach
    void stop() throws IOException {
        scp.close();
    }

    private int run(Object command, String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        CommandLine cl = new CommandLine(command);
        cl.setOut(new PrintWriter(o, true));
        cl.setErr(new PrintWriter(e, true));
        int code = cl.execute(args);
        out = o.toString();
        err = e.toString();
        return code;
    }

    private String peer() {
        return "SCP@127.0.0.1:" + scp.port();
    }

    private List<Path> files(int n) throws IOException {
        List<Path> files = new ArrayList<>();
        Path dir = Files.createDirectories(tmp.resolve("in"));
        for (int i = 0; i < n; i++) {
            Dataset ds = new Dataset().setString(Tag.SOPClassUID, VR.UI, UID.SecondaryCaptureImageStorage)
                    .setString(Tag.SOPInstanceUID, VR.UI, "1.2.3.4." + i).setBytes(Tag.PixelData, VR.OB, new byte[1000 + i * 2]);
            Path f = dir.resolve("f" + i + ".dcm");
            try (OutputStream os = Files.newOutputStream(f)) {
                DicomWriter.writeFile(os, ds, i % 2 == 0 ? UID.ExplicitVRLittleEndian : UID.ImplicitVRLittleEndian);
            }
            files.add(f);
        }
        Files.writeString(dir.resolve("README.txt"), "not DICOM");
        return files;
    }

    @Test
    void echo() throws IOException {
        assertThat(run(new EchoCommand(), peer())).isZero();
        assertThat(out).contains("success");
        assertThat(run(new EchoCommand(), "WHO@127.0.0.1:" + scp.port())).isEqualTo(3);
        assertThat(err.strip()).startsWith("error: WHO@127.0.0.1:").contains("called AE title not recognized").doesNotContain("\n");
        assertThat(run(new EchoCommand(), "SCP@127.0.0.1:" + closedPort())).isEqualTo(3);
        assertThat(err).contains("connection refused");
        assertThat(run(new EchoCommand(), "nonsense")).isEqualTo(2);
    }

    @Test
    void sendFolderWithParallelAssociations() throws Exception {
        List<Path> files = files(5);
        assertThat(run(new SendCommand(), "--to", peer(), "-j", "2", tmp.resolve("in").toString())).isZero();
        assertThat(out).startsWith("sent 5 of 5 to " + peer() + ", 0 failed").contains("MB/s").contains("1 non-DICOM files skipped");
        for (Path f : files) {
            StoreSource s = StoreSource.ofFile(f);
            try (InputStream in = s.openDataset()) {
                assertThat(stored.get(s.sopInstanceUid())).isEqualTo(in.readAllBytes());
            }
        }
        assertThat(run(new SendCommand(), "--to", "SCP@127.0.0.1:" + closedPort(), files.get(0).toString())).isEqualTo(3);
        assertThat(out).contains("sent 0 of 1").contains("1 failed");
    }

    @Test
    void findGetMove() throws Exception {
        for (Path f : files(3)) {
            archive.add(StoreSource.ofFile(f));
        }
        assertThat(run(new FindCommand(), peer(), "-L", "STUDY", "-k", "PatientName=DOE*", "-k", "SOPInstanceUID")).isZero();
        assertThat(out.lines()).hasSize(3).allMatch(l -> l.contains("SOPInstanceUID=1.2.3.4."));
        Path got = tmp.resolve("got");
        assertThat(run(new GetCommand(), peer(), "-k", "StudyInstanceUID=1.2", "-o", got.toString())).isZero();
        assertThat(out).contains("3 received");
        for (StoreSource s : archive) {
            StoreSource back = StoreSource.ofFile(got.resolve(s.sopInstanceUid() + ".dcm"));
            assertThat(back.transferSyntaxUid()).isEqualTo(s.transferSyntaxUid());
            try (InputStream a = s.openDataset(); InputStream b = back.openDataset()) {
                assertThat(b.readAllBytes()).isEqualTo(a.readAllBytes());
            }
        }
        assertThat(run(new MoveCommand(), peer(), "--dest", "SELF", "-k", "StudyInstanceUID=1.2")).isZero();
        assertThat(out).contains("3 completed, 0 failed");
        assertThat(stored).hasSize(3);
        assertThat(run(new MoveCommand(), peer(), "--dest", "NOWHERE", "-k", "StudyInstanceUID=1.2")).isEqualTo(1);
        assertThat(run(new FindCommand(), peer(), "-k", "NoSuchKeyword=1")).isEqualTo(2);
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
