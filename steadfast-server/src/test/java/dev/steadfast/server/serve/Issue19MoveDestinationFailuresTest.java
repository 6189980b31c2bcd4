package dev.steadfast.server.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.VR;
import dev.steadfast.net.assoc.AssociationConfig;
import dev.steadfast.net.assoc.AssociationListener;
import dev.steadfast.net.dimse.ClientOptions;
import dev.steadfast.net.dimse.DimseClient;
import dev.steadfast.net.dimse.DimseException;
import dev.steadfast.net.dimse.DimseResponse;
import dev.steadfast.net.dimse.DimseServer;
import dev.steadfast.net.dimse.ServiceRegistry;
import dev.steadfast.net.dimse.Status;
import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.server.testing.TestNodes;
import dev.steadfast.testing.Peers;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19 (read-ahead lanes, {@code remote-aes.NAME.associations}): a move destination that
 * misbehaves. What a user checks, through serve with movescu's view of the C-MOVE responses:
 * a destination that aborts its association after the first C-STORE-RQ (dcmtk's
 * {@code storescp --abort-after}, with one association and with two) gets a final response that
 * counts every sub-operation as failed and names each in the Failed SOP Instance UID List, instead
 * of a bare "unable to process" without counts; a destination answering failure and warning
 * statuses, over two associations, is counted exactly; an object damaged on disk while the move runs
 * is a failed sub-operation and the rest arrive; and repeated aborted moves leave no file handle open.
 */
class Issue19MoveDestinationFailuresTest {
    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void aDestinationThatAbortsOrRefusesSubOperationsGetsCountedFinalResponses() throws Exception {
        List<Process> peers = new ArrayList<>();
        int abortPort = Peers.freePort();
        int forkAbortPort = Peers.freePort();
        Set<String> failFor = ConcurrentHashMap.newKeySet();
        Set<String> warnFor = ConcurrentHashMap.newKeySet();
        Set<String> received = ConcurrentHashMap.newKeySet();
        Set<String> abortFor = ConcurrentHashMap.newKeySet(); // one shot: the destination ends that association unanswered
        Path[] corruptWhenReceiving = new Path[1];
        String[] trigger = new String[1];
        ServiceRegistry javaSide = ServiceRegistry.builder().store(List.of(UID.SecondaryCaptureImageStorage), (rq, in) -> {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            String sop = rq.sopInstanceUid();
            if (sop.equals(trigger[0]) && corruptWhenReceiving[0] != null) {
                corrupt(corruptWhenReceiving[0]); // the move is running: a later object is damaged on disk now
            }
            if (abortFor.remove(sop)) {
                throw new dev.steadfast.net.assoc.AssociationAbortedException("the destination ends this association");
            }
            if (failFor.contains(sop)) {
                throw new DimseException(Status.OUT_OF_RESOURCES, "no room");
            }
            received.add(sop);
            return warnFor.contains(sop) ? Status.COERCION_OF_DATA_ELEMENTS : Status.SUCCESS;
        }).build();
        Path data = tmp.resolve("data");
        try (AssociationListener java = DimseServer.start(InetAddress.getLoopbackAddress(), 0, AssociationConfig.DEFAULTS,
                DimseServer.policyFor(javaSide, "JAVA1", "JAVA2").build(), javaSide, 8, null)) {
            peers.add(Peers.start(List.of(Peers.tool("storescp"), "--abort-after", "-aet", "ABORTER", "-od",
                    Files.createDirectories(tmp.resolve("aborter")).toString(), String.valueOf(abortPort)), tmp.resolve("aborter.log")));
            peers.add(Peers.start(List.of(Peers.tool("storescp"), "--fork", "--abort-after", "-aet", "FORKABORT", "-od",
                    Files.createDirectories(tmp.resolve("forkabort")).toString(), String.valueOf(forkAbortPort)), tmp.resolve("forkabort.log")));
            Path yaml = Files.writeString(tmp.resolve("steadfast.yaml"), """
                    remote-aes:
                      aborter: {ae-title: ABORTER, host: 127.0.0.1, port: %d}
                      forkabort: {ae-title: FORKABORT, host: 127.0.0.1, port: %d, associations: 2}
                      java1: {ae-title: JAVA1, host: 127.0.0.1, port: %d}
                      java2: {ae-title: JAVA2, host: 127.0.0.1, port: %d, associations: 2}
                    """.formatted(abortPort, forkAbortPort, java.port(), java.port()));
            try (ArchiveNode node = ArchiveNode.start(TestNodes.config(yaml, data, TestNodes.indexUrl(TestNodes.Db.SQLITE, data),
                    Map.of(), List.of()));
                 DimseClient c = DimseClient.open("127.0.0.1", node.dicomPort(), new ClientOptions().callingAeTitle("WS")
                         .calledAeTitle("STEADFAST").propose(UID.SecondaryCaptureImageStorage, UID.ExplicitVRLittleEndian)
                         .propose(UID.StudyRootQueryRetrieveInformationModelMove, UID.ExplicitVRLittleEndian))) {
                Peers.awaitPort(abortPort, peers.get(0), 10_000);
                Peers.awaitPort(forkAbortPort, peers.get(1), 10_000);
                String study = Instances.uid();
                String series = Instances.uid();
                List<String> sops = new ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    String sop = Instances.uid();
                    assertThat(c.store(Instances.source(Instances.image(study, series, sop, 40_000 + 1024 * i)), null, -1).status())
                            .isEqualTo(Status.SUCCESS);
                    sops.add(sop);
                }

                // The destination aborts after the first C-STORE-RQ: nothing is known to have arrived, all six failed.
                for (String dest : List.of("ABORTER", "FORKABORT")) {
                    DimseResponse r = move(c, dest, study);
                    assertThat(r.status()).as(dest + ": " + r).isEqualTo(Status.OUT_OF_RESOURCES_SUB_OPERATIONS);
                    assertThat(r.failed()).as(dest).isEqualTo(6);
                    assertThat(r.completed()).as(dest).isZero();
                    assertThat(failedUids(r)).as(dest).containsExactlyInAnyOrderElementsOf(sops);
                    assertThat(r.errorComment()).as(dest).contains(dest);
                }

                // Failure and warning statuses over two associations: counted one by one.
                failFor.add(sops.get(1));
                warnFor.add(sops.get(4));
                DimseResponse r = move(c, "JAVA2", study);
                assertThat(r.status()).as(r.toString()).isEqualTo(Status.SUB_OPERATIONS_COMPLETE_WITH_FAILURES);
                assertThat(List.of(r.completed(), r.failed(), r.warning())).isEqualTo(List.of(4, 1, 1));
                assertThat(failedUids(r)).containsExactly(sops.get(1));

                failFor.clear();
                warnFor.clear();

                // One of two associations ended by the destination mid-move (docs/CONFORMANCE.md): the sub-operation in
                // flight failed, the object read ahead on it is given back and sent by the other association (or, when
                // that one had already finished, failed): every object is either received or listed as failed, once.
                received.clear();
                abortFor.add(sops.get(2));
                r = move(c, "JAVA2", study);
                assertThat(r.status()).as(r.toString()).isEqualTo(Status.SUB_OPERATIONS_COMPLETE_WITH_FAILURES);
                assertThat(failedUids(r)).as(r.toString()).contains(sops.get(2)).doesNotContainAnyElementsOf(received);
                assertThat(r.completed()).as("the other association carried on").isGreaterThanOrEqualTo(4).isEqualTo(received.size());
                assertThat(r.completed() + r.failed()).isEqualTo(6);
                assertThat(received).doesNotContain(sops.get(2));
                assertThat(r.errorComment()).contains("JAVA2");
                assertThat(move(c, "JAVA1", study).completed()).as("the requestor's association still serves").isEqualTo(6);

                // A copy damaged on disk while the move runs (read ahead after the damage): failed and named, the rest arrive.
                received.clear();
                trigger[0] = sops.get(1);
                corruptWhenReceiving[0] = storedFile(data, sops.get(3));
                r = move(c, "JAVA1", study);
                assertThat(r.status()).as(r.toString()).isEqualTo(Status.SUB_OPERATIONS_COMPLETE_WITH_FAILURES);
                assertThat(List.of(r.completed(), r.failed(), r.warning())).isEqualTo(List.of(5, 1, 0));
                assertThat(failedUids(r)).containsExactly(sops.get(3));
                assertThat(received).doesNotContain(sops.get(3)).hasSize(5);
                corruptWhenReceiving[0] = null;

                // Aborted moves leave nothing open behind them (serve runs in this JVM: its descriptors are ours).
                move(c, "ABORTER", study); // warm: lazily opened files and sockets of the first moves
                long before = openFiles();
                for (int i = 0; i < 12; i++) {
                    assertThat(move(c, i % 2 == 0 ? "ABORTER" : "FORKABORT", study).failed()).isEqualTo(6);
                }
                assertThat(openFiles()).as("open file descriptors after 12 aborted moves").isLessThan(before + 6);
            }
        } finally {
            peers.forEach(Peers::stop);
        }
    }

    private static DimseResponse move(DimseClient c, String dest, String study) throws Exception {
        Dataset keys = new Dataset();
        keys.setString(Tag.QueryRetrieveLevel, VR.CS, "STUDY");
        keys.setString(Tag.StudyInstanceUID, VR.UI, study);
        return c.move(UID.StudyRootQueryRetrieveInformationModelMove, dest, keys, null);
    }

    private static List<String> failedUids(DimseResponse r) {
        String[] uids = r.dataset() == null ? null : r.dataset().getStrings(Tag.FailedSOPInstanceUIDList);
        return uids == null ? List.of() : Arrays.asList(uids);
    }

    private static Path storedFile(Path data, String sop) throws Exception {
        try (Stream<Path> s = Files.walk(data)) {
            return s.filter(p -> p.getFileName().toString().equals(sop + ".dcm")).findFirst().orElseThrow();
        }
    }

    private static long openFiles() throws Exception {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }

    /** Flips the last byte (pixel data): the file still parses, only the checksum tells. */
    private static void corrupt(Path file) {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(f.length() - 1);
            int b = f.read();
            f.seek(f.length() - 1);
            f.write(b ^ 0xFF);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
