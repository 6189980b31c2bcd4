package dev.steadfast.net;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.VR;
import dev.steadfast.dicom.dictionary.UidRegistry;
import dev.steadfast.dicom.io.DicomReader;
import dev.steadfast.dicom.io.ReadOptions;
import dev.steadfast.net.assoc.AcceptorPolicy;
import dev.steadfast.net.assoc.AssociationConfig;
import dev.steadfast.net.assoc.AssociationListener;
import dev.steadfast.net.assoc.TlsConfig;
import dev.steadfast.net.dimse.CFindService;
import dev.steadfast.net.dimse.CMoveService;
import dev.steadfast.net.dimse.DimseServer;
import dev.steadfast.net.dimse.ServiceRegistry;
import dev.steadfast.net.dimse.Status;
import dev.steadfast.net.dimse.StoreSource;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** Our SCP on a free loopback port, backed by in-memory test handlers. */
public final class TestScp implements AutoCloseable {
    /** One received instance: exactly the bytes that came over the network. */
    public record Received(String sopClassUid, String sopInstanceUid, String transferSyntaxUid, byte[] dataset, String callingAe) {
    }

    public final Map<String, Received> received = new ConcurrentHashMap<>();
    /** Every instance in arrival order, duplicates included (the corpus reuses UIDs across encodings). */
    public final List<Received> all = new CopyOnWriteArrayList<>();
    public final List<String> duplicates = new CopyOnWriteArrayList<>();
    /** Failures handlers saw while reading a stream (the hostile-peer tests look here). */
    public final List<Throwable> streamFailures = new CopyOnWriteArrayList<>();
    public final List<StoreSource> archive = new ArrayList<>();
    public final Map<String, CMoveService.MoveDestination> destinations = new ConcurrentHashMap<>();
    public volatile Consumer<String> beforeStore = iuid -> { };
    private final AssociationListener listener;

    public TestScp(String aeTitle, AssociationConfig config, int maxAssociations, TlsConfig tls) throws IOException {
        this(aeTitle, config, maxAssociations, tls, b -> { });
    }

    public TestScp(String aeTitle, AssociationConfig config, int maxAssociations, TlsConfig tls, Consumer<AcceptorPolicy.Builder> policy)
            throws IOException {
        CMoveService move = new CMoveService() {
            @Override
            public List<? extends StoreSource> retrieve(dev.steadfast.net.dimse.DimseRequest rq, Dataset keys) {
                return select(keys);
            }

            @Override
            public MoveDestination destination(String ae) {
                return destinations.get(ae);
            }
        };
        CFindService find = (rq, keys, responder) -> {
            for (StoreSource s : select(keys)) {
                Dataset match = new Dataset();
                match.setString(Tag.QueryRetrieveLevel, VR.CS, keys.getString(Tag.QueryRetrieveLevel, "IMAGE"));
                match.setString(Tag.SOPClassUID, VR.UI, s.sopClassUid());
                match.setString(Tag.SOPInstanceUID, VR.UI, s.sopInstanceUid());
                if (!responder.pending(match)) {
                    return;
                }
            }
        };
        ServiceRegistry registry = ServiceRegistry.builder()
                .store(UidRegistry.storageSopClasses(), (rq, data) -> {
                    beforeStore.accept(rq.sopInstanceUid());
                    byte[] bytes;
                    try {
                        bytes = data.readAllBytes();
                    } catch (IOException e) {
                        streamFailures.add(e);
                        throw e;
                    }
                    Received r = new Received(rq.sopClassUid(), rq.sopInstanceUid(), rq.transferSyntaxUid(), bytes, rq.callingAeTitle());
                    all.add(r);
                    if (received.putIfAbsent(rq.sopInstanceUid(), r) != null) {
                        duplicates.add(rq.sopInstanceUid());
                    }
                    return Status.SUCCESS;
                })
                .find(UID.StudyRootQueryRetrieveInformationModelFind, find)
                .find(UID.PatientRootQueryRetrieveInformationModelFind, find)
                .move(UID.StudyRootQueryRetrieveInformationModelMove, move)
                .move(UID.PatientRootQueryRetrieveInformationModelMove, move)
                .get(UID.StudyRootQueryRetrieveInformationModelGet, (rq, keys) -> select(keys))
                .get(UID.PatientRootQueryRetrieveInformationModelGet, (rq, keys) -> select(keys))
                .build();
        AcceptorPolicy.Builder b = DimseServer.policyFor(registry, aeTitle);
        policy.accept(b);
        listener = DimseServer.start(InetAddress.getLoopbackAddress(), 0, config, b.build(), registry, maxAssociations, tls);
    }

    /** Archive entries whose SOP Instance UID matches the key (all when the key is absent or empty). */
    private List<StoreSource> select(Dataset keys) {
        String iuid = keys.getString(Tag.SOPInstanceUID);
        List<StoreSource> out = new ArrayList<>();
        for (StoreSource s : archive) {
            if (iuid == null || iuid.isEmpty() || iuid.equals(s.sopInstanceUid())) {
                out.add(s);
            }
        }
        return out;
    }

    public void addToArchive(Path file) throws IOException {
        archive.add(StoreSource.ofFile(file));
    }

    public int port() {
        return listener.port();
    }

    public AssociationListener listener() {
        return listener;
    }

    /** The data set bytes of a Part 10 file (everything after its meta information). */
    public static byte[] datasetBytes(Path file) throws IOException {
        StoreSource s = StoreSource.ofFile(file);
        try (InputStream in = s.openDataset()) {
            return in.readAllBytes();
        }
    }

    public static String sha256(byte[] b) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The header (everything before Pixel Data) of a source's data set. */
    public static Dataset headerOf(StoreSource s) throws IOException {
        try (InputStream in = s.openDataset()) {
            return DicomReader.readDataset(in, s.transferSyntaxUid(), ReadOptions.headerOnly());
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
