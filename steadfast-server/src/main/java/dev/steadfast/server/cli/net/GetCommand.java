package dev.steadfast.server.cli.net;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.VR;
import dev.steadfast.dicom.io.DicomWriter;
import dev.steadfast.dicom.io.FileMetaBuilder;
import dev.steadfast.net.dimse.ClientOptions;
import dev.steadfast.net.dimse.DimseClient;
import dev.steadfast.net.dimse.DimseResponse;
import dev.steadfast.net.dimse.Status;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "get", mixinStandardHelpOptions = true, customSynopsis = "steadfast get AE@host:port [OPTIONS] [-k KEYWORD[=VALUE]]...",
        description = "Retrieves matching instances over the same association (C-GET) into a folder, as received.")
public final class GetCommand implements Callable<Integer> {
    /** Common image classes, also offered implicit VR and in the usual compressed syntaxes (128 contexts at most). */
    private static final List<String> IMAGE_CLASSES = List.of(UID.CTImageStorage, UID.MRImageStorage, UID.ComputedRadiographyImageStorage,
            UID.DigitalXRayImageStorageForPresentation, UID.DigitalMammographyXRayImageStorageForPresentation, UID.UltrasoundImageStorage,
            UID.UltrasoundMultiFrameImageStorage, UID.SecondaryCaptureImageStorage, UID.XRayAngiographicImageStorage,
            UID.EnhancedCTImageStorage);
    private static final List<String> OWN_CONTEXTS = List.of(UID.ImplicitVRLittleEndian, UID.JPEGBaseline8Bit, UID.JPEGLosslessSV1,
            UID.JPEG2000Lossless, UID.JPEG2000, UID.RLELossless);

    @Mixin
    PeerArgument target;

    private RemoteAe peer;

    @Option(names = {"-o", "--out"}, defaultValue = ".", description = "Folder for the received files (default: current folder).")
    Path out;

    @Mixin
    QueryOptions query;

    @Mixin
    AssociationOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        peer = target.peer(spec);
        ClientOptions o = options.clientOptions(peer).propose(query.getSopClass(), ClientOptions.UNCOMPRESSED);
        for (String c : StorageClasses.COMMON) {
            o.propose(c, ClientOptions.UNCOMPRESSED).scpRole(c);
        }
        // The SCP picks one syntax per context: separate contexts let these arrive as they are stored.
        for (String c : IMAGE_CLASSES) {
            for (String ts : OWN_CONTEXTS) {
                o.propose(c, ts);
            }
        }
        AtomicInteger received = new AtomicInteger();
        try {
            Files.createDirectories(out);
            try (DimseClient c = DimseClient.open(peer.host(), peer.port(), o);
                 CancelOnInterrupt cancel = new CancelOnInterrupt(c, spec.commandLine().getErr())) {
                DimseResponse r = c.get(query.getSopClass(), query.identifier(), (rq, data) -> {
                    write(rq.sopClassUid(), rq.sopInstanceUid(), rq.transferSyntaxUid(), rq.callingAeTitle(), data);
                    received.incrementAndGet();
                    return Status.SUCCESS;
                }, null);
                spec.commandLine().getOut().printf("C-GET: %s; %d received into %s, %d failed, %d warnings%s%n", r, received.get(), out,
                        r.failed(), r.warning(), Failures.notDone(r));
                spec.commandLine().getOut().flush(); // before the Ctrl-C hook lets the JVM exit
                return r.status().isSuccess() ? Failures.OK : Failures.FAILED;
            }
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("error: " + e.getMessage());
            return 2;
        } catch (Exception e) {
            return Failures.report(spec.commandLine().getErr(), peer, e);
        }
    }

    /** A Part 10 file: fresh meta information, then the data set bytes exactly as they arrived. */
    private void write(String cuid, String iuid, String ts, String sourceAe, java.io.InputStream data) throws IOException {
        Dataset ids = new Dataset().setString(Tag.SOPClassUID, VR.UI, cuid).setString(Tag.SOPInstanceUID, VR.UI, iuid);
        Dataset meta = FileMetaBuilder.build(ids, ts, sourceAe);
        Path tmp = Files.createTempFile(out, ".get-", ".part");
        try {
            try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(tmp), 65536)) {
                DicomWriter.writeFile(os, meta, new Dataset(), UID.ExplicitVRLittleEndian); // meta only; the data set follows raw
                data.transferTo(os);
            }
            Files.move(tmp, out.resolve(iuid.replaceAll("[^0-9.]", "_") + ".dcm"), StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
