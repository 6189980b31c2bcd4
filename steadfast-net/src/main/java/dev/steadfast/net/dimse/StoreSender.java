package dev.steadfast.net.dimse;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.TransferSyntax;
import dev.steadfast.dicom.io.DicomReader;
import dev.steadfast.dicom.io.DicomWriter;
import dev.steadfast.net.assoc.Association;
import dev.steadfast.net.assoc.PDataOutputStream;
import dev.steadfast.net.assoc.PresentationContext;
import java.io.InputStream;

/**
 * Chooses the presentation context for a C-STORE and how the bytes go out: unchanged when the
 * accepted syntax is the source's, else decoded and re-encoded by the core when both syntaxes
 * are uncompressed. Compressed data is never transcoded here; a source may offer a converted
 * copy itself ({@link StoreSource#convertedTo}).
 */
final class StoreSender {
    /** The context to use and the writer of the data set. */
    record Plan(int presentationContextId, String transferSyntaxUid, DimseChannel.DataWriter writer) {
    }

    private StoreSender() {
    }

    static Plan plan(Association association, StoreSource source) throws DimseException {
        PresentationContext fallback = null;
        for (PresentationContext pc : association.presentationContexts().values()) {
            if (!pc.accepted() || !pc.abstractSyntax().equals(source.sopClassUid())) {
                continue;
            }
            if (pc.transferSyntax().equals(source.transferSyntaxUid())) {
                return new Plan(pc.id(), pc.transferSyntax(), out -> copy(source, pc.transferSyntax(), out));
            }
            if (fallback == null && TransferSyntax.of(pc.transferSyntax()).isNative() && isUncompressed(source.transferSyntaxUid())) {
                fallback = pc;
            }
        }
        if (fallback == null) {
            for (PresentationContext pc : association.presentationContexts().values()) {
                StoreSource converted = pc.accepted() && pc.abstractSyntax().equals(source.sopClassUid())
                        ? source.convertedTo(pc.transferSyntax()) : null;
                if (converted != null) {
                    return new Plan(pc.id(), pc.transferSyntax(), out -> copy(converted, pc.transferSyntax(), out));
                }
            }
            throw new DimseException(Status.SOP_CLASS_NOT_SUPPORTED, "no accepted presentation context for "
                    + source.sopClassUid() + " in " + source.transferSyntaxUid() + " or an uncompressed syntax it can be converted to");
        }
        String target = fallback.transferSyntax();
        return new Plan(fallback.id(), target, out -> {
            Dataset ds;
            try (InputStream in = source.openDataset()) {
                ds = DicomReader.readDataset(in, source.transferSyntaxUid());
            }
            DicomWriter.writeDataset(out, ds, target);
        });
    }

    /**
     * The data set's bytes unchanged; a deflated one of odd length gets the pad byte PS3.5 A.5
     * requires (writers that skipped it exist, and dcmtk aborts on an odd P-DATA fragment).
     */
    private static void copy(StoreSource source, String transferSyntaxUid, java.io.OutputStream out) throws java.io.IOException {
        long n;
        java.nio.ByteBuffer held = out instanceof PDataOutputStream ? source.heldDataset() : null;
        if (held != null) { // copied once, from the (direct) buffer it was checked in into the PDUs
            n = held.remaining();
            ((PDataOutputStream) out).write(held);
        } else {
            try (InputStream in = source.openDataset()) {
                n = in.transferTo(out);
            }
        }
        if ((n & 1) != 0 && TransferSyntax.of(transferSyntaxUid).deflated()) {
            out.write(0);
        }
    }

    private static boolean isUncompressed(String ts) {
        TransferSyntax t = TransferSyntax.of(ts);
        return t.isNative() && !TransferSyntax.isKnownEncapsulated(ts);
    }
}
