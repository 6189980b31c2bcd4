package dev.steadfast.net.dimse;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.io.DicomReader;
import dev.steadfast.net.assoc.Association;
import dev.steadfast.net.assoc.AssociationAbortedException;
import dev.steadfast.net.assoc.PDataInputStream;
import dev.steadfast.net.assoc.PDataOutputStream;
import dev.steadfast.net.assoc.PresentationContext;
import dev.steadfast.net.assoc.State;
import dev.steadfast.net.pdu.PresentationDataValue;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * DIMSE messages (command set plus optional data set) over one association, in both directions.
 * One thread reads (the association's); messages are sent whole under a lock, so a
 * {@link BackChannel} may send a request from another thread, and {@link #read()} hands the
 * response to it.
 */
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

    /** What {@link #readOne()} returns for a response it handed to the thread awaiting it. */
    static final Message HANDED_OVER = new Message(0, null, null);

    private final Association association;
    /** One PDU: commands. */
    private final byte[] commandBuffer;
    /** Several PDUs per socket write: data sets; taken at the first one (an ingest association never sends any). */
    private byte[] dataBuffer;
    private final ReentrantLock sendLock = new ReentrantLock();
    /** Requests sent by other threads, by message ID, until their response is read. */
    private final Map<Integer, CompletableFuture<DimseResponse>> awaited = new ConcurrentHashMap<>();
    /** Set (under the send lock) once the peer asked to release or the association broke: nothing more is sent from other threads. */
    private volatile boolean ended;
    private int lastMessageId;

    public DimseChannel(Association association) {
        this.association = association;
        // Fragments of even length (PS3.5 7.1: values are even; dcmtk refuses odd fragments), so an even buffer.
        this.commandBuffer = new byte[(association.sendPduLength() & ~1) + 6];
    }

    public Association association() {
        return association;
    }

    public synchronized int nextMessageId() {
        lastMessageId = (lastMessageId + 1) & 0xFFFF;
        if (lastMessageId == 0) {
            lastMessageId = 1;
        }
        return lastMessageId;
    }

    /**
     * The next message, or null when the peer requested release. A malformed message aborts the
     * association. Responses to requests sent with {@link #request} are handed to their senders.
     */
    public Message read() throws IOException {
        while (true) {
            Message m = readOne();
            if (m != HANDED_OVER) {
                return m;
            }
        }
    }

    /**
     * One message, or null when the peer requested release, or {@link #HANDED_OVER} for a response
     * to a request sent with {@link #request}: for a thread that must not block once the input it
     * saw waiting has been read (a C-CANCEL watch).
     */
    Message readOne() throws IOException {
        try {
            Message m = readRaw();
            if (m == null) {
                end(new AssociationAbortedException("the peer released the association before answering"));
                return null;
            }
            CompletableFuture<DimseResponse> f = awaited.isEmpty() || m.type() == null || m.type().isRequest() ? null
                    : awaited.remove(m.command().getInt(Tag.MessageIDBeingRespondedTo, -1));
            if (f == null) {
                return m;
            }
            Dataset data = null;
            if (m.data() != null) {
                try (var in = m.data()) {
                    data = DicomReader.readDataset(in, transferSyntax(m.presentationContextId()));
                }
            }
            f.complete(new DimseResponse(Commands.status(m.command()), m.command(), data));
            return HANDED_OVER;
        } catch (IOException | RuntimeException e) {
            end(e instanceof IOException io ? io : new IOException(e));
            throw e;
        }
    }

    /** No more requests from other threads; those awaiting a response fail with {@code cause}. */
    private void end(IOException cause) {
        sendLock.lock();
        try {
            ended = true;
        } finally {
            sendLock.unlock();
        }
        awaited.values().forEach(f -> f.completeExceptionally(cause));
        awaited.clear();
    }

    /** Whether requests can still be sent from other threads: established, and the peer has not asked to release. */
    boolean open() {
        return !ended && association.state() == State.Sta6;
    }

    /**
     * Sends a request from any thread but the reading one and waits for its response, which the
     * reading thread hands over.
     *
     * @throws IOException when the association ended first, or no response came within {@code timeout}
     */
    DimseResponse request(int presentationContextId, Dataset command, Dataset data, Duration timeout) throws IOException {
        int id = command.getInt(Tag.MessageID, 0);
        CompletableFuture<DimseResponse> f = new CompletableFuture<>();
        sendLock.lock();
        try {
            if (!open()) {
                throw new IOException("association " + association + " is no longer open");
            }
            awaited.put(id, f);
            send(presentationContextId, command, data);
        } catch (IOException | RuntimeException e) {
            awaited.remove(id);
            throw e;
        } finally {
            sendLock.unlock();
        }
        try {
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            awaited.remove(id);
            throw new IOException("no response to " + Commands.type(command) + " " + id + " within " + timeout);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (InterruptedException e) {
            awaited.remove(id);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while awaiting the response", e);
        }
    }

    private Message readRaw() throws IOException {
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
        sendLock.lock();
        try {
            PDataOutputStream c = new PDataOutputStream(association, presentationContextId, true, commandBuffer);
            c.write(cmd);
            if (data == null) {
                c.close();
                return;
            }
            c.finish();
            if (dataBuffer == null) {
                dataBuffer = PDataOutputStream.bufferFor(association);
            }
            PDataOutputStream d = new PDataOutputStream(association, presentationContextId, false, dataBuffer);
            data.writeTo(d);
            d.close();
        } finally {
            sendLock.unlock();
        }
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
