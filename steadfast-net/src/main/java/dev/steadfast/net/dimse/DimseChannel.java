package dev.steadfast.net.dimse;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.net.assoc.Association;
import dev.steadfast.net.assoc.AssociationAbortedException;
import dev.steadfast.net.assoc.PDataInputStream;
import dev.steadfast.net.assoc.PDataOutputStream;
import dev.steadfast.net.assoc.PresentationContext;
import dev.steadfast.net.pdu.PresentationDataValue;
import java.io.IOException;
import java.io.OutputStream;

/** DIMSE messages (command set plus optional data set) over one association, in both directions. */
public final class DimseChannel {
    /** Writes a message's data set, encoded in the presentation context's transfer syntax. */
    @FunctionalInterface
    public interface DataWriter {
        void writeTo(OutputStream out) throws IOException;
    }

    /** A received message; {@code data} streams the data set from the socket, null when there is none. */
    public record Message(int presentationContextId, Dataset command, PDataInputStream data) {
        public Dimse type() {
            return Commands.type(command);
        }
    }

    private final Association association;
    private final byte[] pduBuffer;
    private int lastMessageId;

    public DimseChannel(Association association) {
        this.association = association;
        // Fragments of even length (PS3.5 7.1: values are even; dcmtk refuses odd fragments), so an even buffer.
        this.pduBuffer = new byte[(association.sendPduLength() & ~1) + 6];
    }

    public Association association() {
        return association;
    }

    public int nextMessageId() {
        lastMessageId = (lastMessageId + 1) & 0xFFFF;
        if (lastMessageId == 0) {
            lastMessageId = 1;
        }
        return lastMessageId;
    }

    /** The next message, or null when the peer requested release. A malformed message aborts the association. */
    public Message read() throws IOException {
        PresentationDataValue first = association.nextPdv();
        if (first == null) {
            return null;
        }
        PresentationContext pc = association.presentationContext(first.presentationContextId());
        if (!first.isCommand() || pc == null || !pc.accepted()) {
            association.abort();
            throw new AssociationAbortedException(first.isCommand()
                    ? "message on presentation context " + first.presentationContextId() + ", which was not accepted; aborted"
                    : "data set fragment where a command was expected; aborted");
        }
        Dataset command;
        try (PDataInputStream in = new PDataInputStream(association, first, association.config().maxCommandLength())) {
            command = Commands.decode(in.readAllBytes());
        } catch (AssociationAbortedException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            association.abort();
            throw new AssociationAbortedException("undecodable command set, aborted: " + e.getMessage(), e);
        }
        PDataInputStream data = null;
        if (Commands.hasDataSet(command)) {
            PresentationDataValue d = association.nextPdv();
            if (d == null) {
                throw new AssociationAbortedException("peer requested release before sending the announced data set");
            }
            if (d.isCommand() || d.presentationContextId() != first.presentationContextId()) {
                association.abort();
                throw new AssociationAbortedException("expected the data set of " + Commands.type(command) + ", got another fragment; aborted");
            }
            data = new PDataInputStream(association, d, association.config().maxDatasetLength());
        }
        return new Message(first.presentationContextId(), command, data);
    }

    /** Sends a message; the command and the start of its data set share TCP writes. */
    public void send(int presentationContextId, Dataset command, DataWriter data) throws IOException {
        byte[] cmd = Commands.encode(command);
        PDataOutputStream c = new PDataOutputStream(association, presentationContextId, true, pduBuffer);
        c.write(cmd);
        if (data == null) {
            c.close();
            return;
        }
        c.finish();
        PDataOutputStream d = new PDataOutputStream(association, presentationContextId, false, pduBuffer);
        data.writeTo(d);
        d.close();
    }

    /** Sends a data set held in memory, encoded with the core writer in the context's transfer syntax. */
    public void send(int presentationContextId, Dataset command, Dataset data) throws IOException {
        if (data == null) {
            send(presentationContextId, command, (DataWriter) null);
            return;
        }
        String ts = association.presentationContext(presentationContextId).transferSyntax();
        send(presentationContextId, command, out -> dev.steadfast.dicom.io.DicomWriter.writeDataset(out, data, ts));
    }

    /** The transfer syntax of an accepted presentation context. */
    public String transferSyntax(int presentationContextId) {
        return association.presentationContext(presentationContextId).transferSyntax();
    }
}
