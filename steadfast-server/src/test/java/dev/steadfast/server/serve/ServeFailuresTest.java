package dev.steadfast.server.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;
import dev.steadfast.net.dimse.ClientOptions;
import dev.steadfast.net.dimse.DimseClient;
import dev.steadfast.net.dimse.DimseResponse;
import dev.steadfast.net.dimse.Status;
import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.server.testing.TestNodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Refusals answer the status of the one table (StatusTable), leave no file and no index row, and
 * leave the association usable: the same association then echoes and stores a good instance.
 * SQLite here, PostgreSQL in the subclass.
 */
class ServeFailuresTest {
    @TempDir
    Path tmp;

    /** The index database; the PostgreSQL subclass overrides it. */
    TestNodes.Db db() {
        return TestNodes.Db.SQLITE;
    }

    private static ClientOptions options(String calling) {
        return new ClientOptions().callingAeTitle(calling).calledAeTitle("STEADFAST")
                .propose(UID.Verification, UID.ImplicitVRLittleEndian)
                .propose(UID.SecondaryCaptureImageStorage, UID.ExplicitVRLittleEndian);
    }

    private ArchiveNode node(Path data, Map<String, String> extra) throws Exception {
        return TestNodes.start(data, TestNodes.indexUrl(db(), data), extra, List.of());
    }

    private static long files(Path dir) throws Exception {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).count();
        }
    }

    private static long instances(ArchiveNode node) {
        return node.index().read(tx -> tx.instances().count());
    }

    @Test
    void unparseableDataSetIsC000WithAnErrorCommentAndLeavesNoTrace() throws Exception {
        Path data = tmp.resolve("data");
        try (ArchiveNode node = node(data, Map.of()); DimseClient c = DimseClient.open("127.0.0.1", node.dicomPort(), options("MOD"))) {
            // (0008,0016) UI "1.2", then an element whose VR is not a VR.
            byte[] garbage = {0x08, 0, 0x16, 0, 'U', 'I', 4, 0, '1', '.', '2', 0, 0x08, 0, 0x18, 0, 'Z', 'Z', 4, 0, 1, 2, 3, 4};
            DimseResponse r = c.store(Instances.source(UID.SecondaryCaptureImageStorage, Instances.uid(), garbage), null, -1);
            assertThat(r.status().code() & 0xF000).as(r.toString()).isEqualTo(0xC000);
            assertThat(r.errorComment()).contains("cannot parse");
            assertThat(files(node.storage().root())).isZero();
            assertThat(instances(node)).isZero();
            assertThat(c.echo().status()).isEqualTo(Status.SUCCESS);
            Dataset good = Instances.image(Instances.uid(), Instances.uid(), Instances.uid(), 256);
            assertThat(c.store(Instances.source(good), null, -1).status()).isEqualTo(Status.SUCCESS);
        }
    }

    @Test
    void missingUidsAreRefusedNamingTheElement() throws Exception {
        Path data = tmp.resolve("data");
        try (ArchiveNode node = node(data, Map.of()); DimseClient c = DimseClient.open("127.0.0.1", node.dicomPort(), options("MOD"))) {
            DimseResponse r = c.store(Instances.source(Instances.image(null, Instances.uid(), Instances.uid(), 256)), null, -1);
            assertThat(r.status()).isEqualTo(Status.DATA_SET_DOES_NOT_MATCH_SOP_CLASS);
            assertThat(r.command().getInt(Tag.OffendingElement, 0)).isEqualTo(Tag.StudyInstanceUID);
            assertThat(r.errorComment()).contains("Study Instance UID");
            r = c.store(Instances.source(Instances.image(Instances.uid(), null, Instances.uid(), 256)), null, -1);
            assertThat(r.status()).isEqualTo(Status.DATA_SET_DOES_NOT_MATCH_SOP_CLASS);
            assertThat(files(node.storage().root())).isZero();
            assertThat(instances(node)).isZero();
        }
    }

    @Test
    void fullDiskIsA700AndNoPartialFile() throws Exception {
        Path data = tmp.resolve("data");
        // The closest faithful equivalent of a full disk: ask for more free space than any disk has.
        try (ArchiveNode node = node(data, Map.of("storage.min-free-mb", String.valueOf(Integer.MAX_VALUE)));
             DimseClient c = DimseClient.open("127.0.0.1", node.dicomPort(), options("MOD"))) {
            DimseResponse r = c.store(Instances.source(Instances.image(Instances.uid(), Instances.uid(), Instances.uid(), 64 * 1024)), null, -1);
            assertThat(r.status()).as(r.toString()).isEqualTo(Status.OUT_OF_RESOURCES);
            assertThat(r.errorComment()).isNotBlank();
            assertThat(files(node.storage().root())).isZero();
            assertThat(instances(node)).isZero();
            assertThat(node.metrics().storeFailures()).containsEntry(0xA700, 1L);
        }
    }

    @Test
    void unwritableStorageIsA700AndNoPartialFile() throws Exception {
        Path data = tmp.resolve("data");
        try (ArchiveNode node = node(data, Map.of()); DimseClient c = DimseClient.open("127.0.0.1", node.dicomPort(), options("MOD"))) {
            String study = Instances.uid();
            // A file where the study's folder must go: even root cannot create the folder (permissions would not stop root).
            Files.writeString(node.storage().root().resolve(study), "in the way");
            DimseResponse r = c.store(Instances.source(Instances.image(study, Instances.uid(), Instances.uid(), 64 * 1024)), null, -1);
            assertThat(r.status()).as(r.toString()).isEqualTo(Status.OUT_OF_RESOURCES);
            assertThat(files(node.storage().root())).isEqualTo(1);
            assertThat(instances(node)).isZero();
            assertThat(c.echo().status()).isEqualTo(Status.SUCCESS);
        }
    }

    @Test
    void duplicatesFollowThePolicy() throws Exception {
        String study = Instances.uid();
        String series = Instances.uid();
        String sop = Instances.uid();
        Dataset first = Instances.image(study, series, sop, 256);
        Dataset second = Instances.image(study, series, sop, 512);
        for (String policy : List.of("replace", "keep-first", "reject")) {
            Path data = tmp.resolve(policy);
            try (ArchiveNode node = node(data, Map.of("ingest.duplicates", policy));
                 DimseClient c = DimseClient.open("127.0.0.1", node.dicomPort(), options("MOD"))) {
                assertThat(c.store(Instances.source(first), null, -1).status()).isEqualTo(Status.SUCCESS);
                assertThat(c.store(Instances.source(first), null, -1).status()).as("identical re-send").isEqualTo(Status.SUCCESS);
                DimseResponse r = c.store(Instances.source(second), null, -1);
                Status expected = switch (policy) {
                    case "replace" -> Status.SUCCESS;
                    case "keep-first" -> Status.ELEMENTS_DISCARDED;
                    default -> Status.DUPLICATE_SOP_INSTANCE;
                };
                assertThat(r.status()).as(policy + ": " + r).isEqualTo(expected);
                assertThat(instances(node)).isEqualTo(1);
            }
        }
    }

    @Test
    void callingAeOutsideTheAllowListIsNotAuthorized() throws Exception {
        Path data = tmp.resolve("data");
        try (ArchiveNode node = node(data, Map.of("access.store", "MOD1,MOD2", "access.find", "VIEWER"))) {
            try (DimseClient c = DimseClient.open("127.0.0.1", node.dicomPort(), options("VIEWER"))) {
                DimseResponse r = c.store(Instances.source(Instances.image(Instances.uid(), Instances.uid(), Instances.uid(), 256)), null, -1);
                assertThat(r.status()).isEqualTo(Status.NOT_AUTHORIZED);
            }
            try (DimseClient c = DimseClient.open("127.0.0.1", node.dicomPort(), options("MOD2"))) {
                DimseResponse r = c.store(Instances.source(Instances.image(Instances.uid(), Instances.uid(), Instances.uid(), 256)), null, -1);
                assertThat(r.status()).isEqualTo(Status.SUCCESS);
            }
            assertThat(instances(node)).isEqualTo(1);
        }
    }
}
