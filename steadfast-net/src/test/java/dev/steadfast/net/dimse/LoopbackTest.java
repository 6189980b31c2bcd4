package dev.steadfast.net.dimse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.VR;
import dev.steadfast.dicom.io.DicomWriter;
import dev.steadfast.net.TestScp;
import dev.steadfast.net.assoc.AssociationConfig;
import dev.steadfast.net.assoc.AssociationRejectedException;
import dev.steadfast.net.pdu.AAssociateRj;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Our SCU against our SCP, in one JVM: the protocol paths without an external peer. */
class LoopbackTest {
    private TestScp scp;

    @BeforeEach
    void start() throws IOException {
        scp = new TestScp("SCP", AssociationConfig.DEFAULTS, 8, null);
    }

    @AfterEach
    void stop() throws IOException {
        scp.close();
    }

    static StoreSource memory(String iuid, int size) throws IOException {
        Dataset ds = new Dataset();
        ds.setString(Tag.SOPClassUID, VR.UI, UID.SecondaryCaptureImageStorage);
        ds.setString(Tag.SOPInstanceUID, VR.UI, iuid);
        ds.setString(Tag.PatientName, VR.PN, "Test^Patient");
        ds.setBytes(Tag.PixelData, VR.OB, new byte[size]);
        byte[] bytes = DicomWriter.encode(ds, UID.ExplicitVRLittleEndian);
        return new StoreSource() {
            public String sopClassUid() {
                return UID.SecondaryCaptureImageStorage;
            }

            public String sopInstanceUid() {
                return iuid;
            }

            public String transferSyntaxUid() {
                return UID.ExplicitVRLittleEndian;
            }

            public InputStream openDataset() {
                return new ByteArrayInputStream(bytes);
            }
        };
    }

    private ClientOptions options() {
        return new ClientOptions().calledAeTitle("SCP").callingAeTitle("SCU")
                .propose(UID.Verification, UID.ImplicitVRLittleEndian)
                .propose(UID.SecondaryCaptureImageStorage, UID.ExplicitVRLittleEndian)
                .propose(UID.StudyRootQueryRetrieveInformationModelFind, ClientOptions.UNCOMPRESSED)
                .propose(UID.StudyRootQueryRetrieveInformationModelGet, ClientOptions.UNCOMPRESSED)
                .propose(UID.StudyRootQueryRetrieveInformationModelMove, ClientOptions.UNCOMPRESSED)
                .scpRole(UID.SecondaryCaptureImageStorage);
    }

    @Test
    void echoStoreAndRelease() throws Exception {
        try (DimseClient c = DimseClient.open("127.0.0.1", scp.port(), options())) {
            assertThat(c.echo().status()).isEqualTo(Status.SUCCESS);
            StoreSource s = memory("1.2.3.4", 300_000);
            assertThat(c.store(s, null, -1).status()).isEqualTo(Status.SUCCESS);
            c.release();
        }
        byte[] expected;
        try (InputStream in = memory("1.2.3.4", 300_000).openDataset()) {
            expected = in.readAllBytes();
        }
        assertThat(scp.received.get("1.2.3.4").dataset()).isEqualTo(expected);
    }

    @Test
    void findStreamsMatchesAndHonoursCancel() throws Exception {
        for (int i = 0; i < 5; i++) {
            scp.archive.add(memory("1.2.3." + i, 10));
        }
        try (DimseClient c = DimseClient.open("127.0.0.1", scp.port(), options())) {
            Dataset keys = new Dataset().setString(Tag.QueryRetrieveLevel, VR.CS, "IMAGE").setString(Tag.SOPInstanceUID, VR.UI, "");
            List<String> all = new ArrayList<>();
            DimseResponse r = c.find(UID.StudyRootQueryRetrieveInformationModelFind, keys, m -> all.add(m.getString(Tag.SOPInstanceUID)));
            assertThat(r.status()).isEqualTo(Status.SUCCESS);
            assertThat(all).hasSize(5);
            List<String> some = new ArrayList<>();
            r = c.find(UID.StudyRootQueryRetrieveInformationModelFind, keys, m -> some.add(m.getString(Tag.SOPInstanceUID)) && false);
            assertThat(r.status().category()).isIn(Status.Category.CANCEL, Status.Category.SUCCESS);
            assertThat(c.echo().status()).isEqualTo(Status.SUCCESS); // still in step after the cancel
        }
    }

    @Test
    void getBringsInstancesBackOverTheSameAssociation() throws Exception {
        for (int i = 0; i < 3; i++) {
            scp.archive.add(memory("1.2.5." + i, 1000));
        }
        List<String> got = new ArrayList<>();
        try (DimseClient c = DimseClient.open("127.0.0.1", scp.port(), options())) {
            DimseResponse r = c.get(UID.StudyRootQueryRetrieveInformationModelGet, new Dataset().setString(Tag.QueryRetrieveLevel, VR.CS, "STUDY"),
                    (rq, data) -> {
                        data.readAllBytes();
                        got.add(rq.sopInstanceUid());
                        return Status.SUCCESS;
                    }, null);
            assertThat(r.status()).isEqualTo(Status.SUCCESS);
            assertThat(r.completed()).isEqualTo(3);
        }
        assertThat(got).containsExactly("1.2.5.0", "1.2.5.1", "1.2.5.2");
    }

    /**
     * DimseClient.cancel() from another thread than the one reading (as a Ctrl-C handler does):
     * the C-CANCEL-RQ goes out while a sub-operation runs, and the C-GET ends with FE00 and the
     * sub-operations not done counted as remaining. The C-CANCEL is sent before the C-STORE-RSP
     * of the first instance, so the SCP sees it before it starts the second.
     */
    @Test
    void getCancelledFromAnotherThreadEndsWithCancelAndTheRemainingCount() throws Exception {
        for (int i = 0; i < 5; i++) {
            scp.archive.add(memory("1.2.8." + i, 1000));
        }
        List<String> got = new ArrayList<>();
        List<Boolean> cancels = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (DimseClient c = DimseClient.open("127.0.0.1", scp.port(), options())) {
            assertThat(c.cancel()).isFalse(); // nothing under way
            DimseResponse r = c.get(UID.StudyRootQueryRetrieveInformationModelGet, new Dataset().setString(Tag.QueryRetrieveLevel, VR.CS, "STUDY"),
                    (rq, data) -> {
                        data.readAllBytes();
                        got.add(rq.sopInstanceUid());
                        if (got.size() == 1) {
                            Thread t = Thread.ofVirtual().start(() -> {
                                try {
                                    cancels.add(c.cancel());
                                    cancels.add(c.cancel()); // sent once only
                                } catch (IOException e) {
                                    cancels.add(null);
                                }
                            });
                            try {
                                t.join();
                            } catch (InterruptedException e) {
                                throw new IOException(e);
                            }
                        }
                        return Status.SUCCESS;
                    }, null);
            assertThat(cancels).containsExactly(true, false);
            assertThat(r.status()).isEqualTo(Status.CANCEL);
            assertThat(r.completed()).isEqualTo(1);
            assertThat(r.remaining()).isEqualTo(4);
            assertThat(c.cancel()).isFalse(); // finished: a late cancel sends nothing
            assertThat(c.echo().status()).isEqualTo(Status.SUCCESS); // still in step
        }
        assertThat(got).containsExactly("1.2.8.0");
    }

    /** C-MOVE cancelled while the destination stores the first instance: FE00, the rest never sent. */
    @Test
    void moveCancelledWhileASubOperationRunsStopsBeforeTheNext() throws Exception {
        try (TestScp dest = new TestScp("DEST", AssociationConfig.DEFAULTS, 4, null);
             DimseClient c = DimseClient.open("127.0.0.1", scp.port(), options())) {
            scp.destinations.put("DEST", new CMoveService.MoveDestination("DEST", "127.0.0.1", dest.port()));
            for (int i = 0; i < 4; i++) {
                scp.archive.add(memory("1.2.9." + i, 1000));
            }
            dest.beforeStore = iuid -> {
                try {
                    c.cancel(); // written before the destination answers this C-STORE
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            };
            DimseResponse r = c.move(UID.StudyRootQueryRetrieveInformationModelMove, "DEST",
                    new Dataset().setString(Tag.QueryRetrieveLevel, VR.CS, "STUDY"), null);
            assertThat(r.status()).isEqualTo(Status.CANCEL);
            assertThat(r.completed()).isEqualTo(1);
            assertThat(r.remaining()).isEqualTo(3);
            assertThat(dest.received).containsOnlyKeys("1.2.9.0");
        }
    }

    @Test
    void moveSendsToTheDestinationAndCountsFailures() throws Exception {
        try (TestScp dest = new TestScp("DEST", AssociationConfig.DEFAULTS, 4, null)) {
            scp.destinations.put("DEST", new CMoveService.MoveDestination("DEST", "127.0.0.1", dest.port()));
            for (int i = 0; i < 3; i++) {
                scp.archive.add(memory("1.2.6." + i, 1000));
            }
            dest.beforeStore = iuid -> {
                if (iuid.equals("1.2.6.1")) {
                    throw new IllegalStateException("disk on fire");
                }
            };
            try (DimseClient c = DimseClient.open("127.0.0.1", scp.port(), options())) {
                DimseResponse r = c.move(UID.StudyRootQueryRetrieveInformationModelMove, "DEST",
                        new Dataset().setString(Tag.QueryRetrieveLevel, VR.CS, "STUDY"), null);
                assertThat(r.status()).isEqualTo(Status.SUB_OPERATIONS_COMPLETE_WITH_FAILURES);
                assertThat(r.completed()).isEqualTo(2);
                assertThat(r.failed()).isEqualTo(1);
                assertThat(r.dataset().getString(Tag.FailedSOPInstanceUIDList)).isEqualTo("1.2.6.1");
                r = c.move(UID.StudyRootQueryRetrieveInformationModelMove, "NOWHERE", new Dataset().setString(Tag.QueryRetrieveLevel, VR.CS, "STUDY"), null);
                assertThat(r.status()).isEqualTo(Status.MOVE_DESTINATION_UNKNOWN);
            }
            assertThat(dest.received).containsOnlyKeys("1.2.6.0", "1.2.6.2");
            assertThat(dest.received.get("1.2.6.0").callingAe()).isEqualTo("SCP");
        }
    }

    @Test
    void handlerExceptionBecomesAFailureStatusAndTheAssociationStays() throws Exception {
        scp.beforeStore = iuid -> {
            throw new IllegalStateException("boom");
        };
        try (DimseClient c = DimseClient.open("127.0.0.1", scp.port(), options())) {
            DimseResponse r = c.store(memory("1.2.7", 100_000), null, -1);
            assertThat(r.status()).isEqualTo(Status.PROCESSING_FAILURE);
            assertThat(r.errorComment()).contains("boom");
            assertThat(c.echo().status()).isEqualTo(Status.SUCCESS);
        }
    }

    @Test
    void nActionAndNEventReportRoundTrip() throws Exception {
        ServiceRegistry registry = ServiceRegistry.builder()
                .nAction(UID.StorageCommitmentPushModel, (rq, type, info, back) -> {
                    if (type != 1) {
                        throw new DimseException(Status.NO_SUCH_ACTION_TYPE, "action " + type);
                    }
                    return null;
                })
                .nEventReport(UID.StorageCommitmentPushModel, (rq, type, info) -> new Dataset().setString(Tag.TransactionUID, VR.UI,
                        info.getString(Tag.TransactionUID)))
                .find(UID.StudyRootQueryRetrieveInformationModelFind, (rq, keys, responder) -> {
                    throw new IllegalStateException("index unreachable");
                })
                .build();
        try (var listener = DimseServer.start(java.net.InetAddress.getLoopbackAddress(), 0, AssociationConfig.DEFAULTS,
                DimseServer.policyFor(registry).build(), registry, 2, null);
             DimseClient c = DimseClient.open("127.0.0.1", listener.port(), new ClientOptions()
                     .propose(UID.StorageCommitmentPushModel, UID.ImplicitVRLittleEndian)
                     .propose(UID.StudyRootQueryRetrieveInformationModelFind, UID.ImplicitVRLittleEndian))) {
            Dataset info = new Dataset().setString(Tag.TransactionUID, VR.UI, "1.2.3.99");
            assertThat(c.nAction(UID.StorageCommitmentPushModel, UID.StorageCommitmentPushModelInstance, 1, info).status()).isEqualTo(Status.SUCCESS);
            DimseResponse r = c.nAction(UID.StorageCommitmentPushModel, UID.StorageCommitmentPushModelInstance, 7, info);
            assertThat(r.status()).isEqualTo(Status.NO_SUCH_ACTION_TYPE);
            assertThat(r.errorComment()).isEqualTo("action 7");
            r = c.nEventReport(UID.StorageCommitmentPushModel, UID.StorageCommitmentPushModelInstance, 1, info);
            assertThat(r.status()).isEqualTo(Status.SUCCESS);
            assertThat(r.dataset().getString(Tag.TransactionUID)).isEqualTo("1.2.3.99");
            r = c.find(UID.StudyRootQueryRetrieveInformationModelFind, new Dataset().setString(Tag.QueryRetrieveLevel, VR.CS, "STUDY"), m -> true);
            assertThat(r.status()).isEqualTo(Status.UNABLE_TO_PROCESS);
            assertThat(r.errorComment()).contains("index unreachable");
            assertThat(c.nAction(UID.StorageCommitmentPushModel, UID.StorageCommitmentPushModelInstance, 1, info).status()).isEqualTo(Status.SUCCESS);
        }
    }

    /**
     * A handler sends a request back on its association from another thread after its response
     * (the storage commitment report, PS3.4 J.3.3): it arrives after the N-ACTION-RSP, the reading
     * thread hands the peer's response to the sender, and once the peer has released nothing more
     * is sent.
     */
    @Test
    void aHandlerSendsARequestBackOnItsAssociationAfterAnswering() throws Exception {
        java.util.concurrent.BlockingQueue<Object> outcomes = new java.util.concurrent.LinkedBlockingQueue<>();
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
        ServiceRegistry registry = ServiceRegistry.builder()
                .nAction(UID.StorageCommitmentPushModel, (rq, type, info, back) -> {
                    threads.submit(() -> {
                        try {
                            Dataset ev = new Dataset().setString(Tag.TransactionUID, VR.UI, info.getString(Tag.TransactionUID));
                            outcomes.add(back.nEventReport(UID.StorageCommitmentPushModelInstance, 1, ev, java.time.Duration.ofSeconds(20)));
                        } catch (Exception e) {
                            outcomes.add(e);
                        }
                    });
                    return null;
                }).build();
        try (var listener = DimseServer.start(java.net.InetAddress.getLoopbackAddress(), 0, AssociationConfig.DEFAULTS,
                DimseServer.policyFor(registry).build(), registry, 2, null)) {
            try (DimseClient c = DimseClient.open("127.0.0.1", listener.port(), new ClientOptions()
                    .propose(UID.StorageCommitmentPushModel, UID.ImplicitVRLittleEndian))) {
                Dataset info = new Dataset().setString(Tag.TransactionUID, VR.UI, "1.2.3.100");
                assertThat(c.nAction(UID.StorageCommitmentPushModel, UID.StorageCommitmentPushModelInstance, 1, info).status())
                        .isEqualTo(Status.SUCCESS);
                List<String> received = new ArrayList<>();
                c.receiveEventReport((rq, type, ev) -> {
                    received.add(type + " " + ev.getString(Tag.TransactionUID) + " " + rq.sopInstanceUid());
                    return new Dataset().setString(Tag.TransactionUID, VR.UI, "1.2.3.101");
                });
                assertThat(received).containsExactly("1 1.2.3.100 " + UID.StorageCommitmentPushModelInstance);
                Object outcome = outcomes.poll(20, java.util.concurrent.TimeUnit.SECONDS);
                assertThat(outcome).isInstanceOfSatisfying(DimseResponse.class, r -> {
                    assertThat(r.status()).isEqualTo(Status.SUCCESS);
                    assertThat(r.dataset().getString(Tag.TransactionUID)).isEqualTo("1.2.3.101");
                });
                // The association still serves requests afterwards.
                assertThat(c.nAction(UID.StorageCommitmentPushModel, UID.StorageCommitmentPushModelInstance, 1, info).status())
                        .isEqualTo(Status.SUCCESS);
                c.receiveEventReport((rq, type, ev) -> null);
                assertThat(outcomes.poll(20, java.util.concurrent.TimeUnit.SECONDS)).isInstanceOf(DimseResponse.class);
                // A report whose requestor releases instead of waiting fails for the sender (who can then open a new association).
                assertThat(c.nAction(UID.StorageCommitmentPushModel, UID.StorageCommitmentPushModelInstance, 1, info).status())
                        .isEqualTo(Status.SUCCESS);
            }
            assertThat(outcomes.poll(20, java.util.concurrent.TimeUnit.SECONDS)).isInstanceOf(java.io.IOException.class);
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void commandSetStartsWithItsGroupLengthAndDecodesBack() throws Exception {
        Dataset rq = Commands.request(Dimse.C_STORE_RQ, 7, UID.CTImageStorage, "1.2.3", true);
        byte[] b = Commands.encode(rq);
        assertThat(b.length).isEqualTo(java.nio.ByteBuffer.wrap(b, 8, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt() + 12);
        assertThat(b).isEqualTo(DicomWriter.encode(rq, UID.ImplicitVRLittleEndian)); // the core writes the same bytes
        Dataset back = Commands.decode(b);
        assertThat(back.getInt(Tag.MessageID, 0)).isEqualTo(7);
        assertThat(Commands.type(back)).isEqualTo(Dimse.C_STORE_RQ);
        assertThat(Commands.hasDataSet(back)).isTrue();
    }

    @Test
    void rejectsUnknownCalledAeTitle() {
        assertThatThrownBy(() -> DimseClient.open("127.0.0.1", scp.port(), options().calledAeTitle("WHO")))
                .isInstanceOfSatisfying(AssociationRejectedException.class, e -> {
                    assertThat(e.rejection().source()).isEqualTo(AAssociateRj.SOURCE_SERVICE_USER);
                    assertThat(e.rejection().reason()).isEqualTo(AAssociateRj.CALLED_AE_TITLE_NOT_RECOGNIZED);
                });
    }

    @Test
    void unsupportedAbstractSyntaxIsRejectedPerContext() throws Exception {
        ClientOptions o = new ClientOptions().calledAeTitle("SCP").propose(UID.Verification, UID.ImplicitVRLittleEndian)
                .propose("1.2.3.4.5.6", UID.ImplicitVRLittleEndian)
                .propose(UID.CTImageStorage, "1.2.3.999");
        try (DimseClient c = DimseClient.open("127.0.0.1", scp.port(), o)) {
            var pcs = c.association().presentationContexts();
            assertThat(pcs.get(1).accepted()).isTrue();
            assertThat(pcs.get(3).result()).isEqualTo(3); // abstract-syntax-not-supported
            assertThat(pcs.get(5).result()).isEqualTo(4); // transfer-syntaxes-not-supported
            assertThat(c.echo().status()).isEqualTo(Status.SUCCESS);
        }
    }
}
