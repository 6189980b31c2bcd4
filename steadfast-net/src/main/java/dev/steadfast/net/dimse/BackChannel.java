package dev.steadfast.net.dimse;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.VR;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Requests a service handler sends back to the peer on the association its request came on, on the
 * same presentation context: the storage commitment report of PS3.4 J.3.3 when the requestor keeps
 * the association open. Usable from any thread once the request it belongs to has been answered;
 * the association's own thread keeps reading and hands the response over.
 */
public final class BackChannel {
    private final DimseChannel ch;
    private final int presentationContextId;
    private final CompletableFuture<Boolean> answered = new CompletableFuture<>();

    BackChannel(DimseChannel ch, int presentationContextId) {
        this.ch = ch;
        this.presentationContextId = presentationContextId;
    }

    /** Called by the dispatcher once the response went out (true), or when the operation failed (false). */
    void opened(boolean ok) {
        answered.complete(ok);
    }

    /** Whether the association is still established and the peer has not asked to release it. */
    public boolean open() {
        return answered.getNow(true) && ch.open();
    }

    /** The peer's AE title, for log lines. */
    public String peerAeTitle() {
        return ch.association().callingAeTitle();
    }

    /**
     * Sends an N-EVENT-REPORT-RQ for the SOP class of the original request and waits for the
     * response; waits first until the original request has been answered.
     *
     * @throws IOException when the association is gone (released, aborted) or the peer does not answer within {@code timeout}
     */
    public DimseResponse nEventReport(String sopInstanceUid, int eventTypeId, Dataset eventInformation, Duration timeout)
            throws IOException {
        awaitAnswered(timeout);
        String sopClass = ch.association().presentationContext(presentationContextId).abstractSyntax();
        Dataset rq = Commands.request(Dimse.N_EVENT_REPORT_RQ, ch.nextMessageId(), sopClass, sopInstanceUid, eventInformation != null);
        rq.setInt(Tag.EventTypeID, VR.US, eventTypeId);
        return ch.request(presentationContextId, rq, eventInformation, timeout);
    }

    private void awaitAnswered(Duration timeout) throws IOException {
        try {
            if (!answered.get(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IOException("the request this answers to failed; nothing is sent back");
            }
        } catch (TimeoutException | ExecutionException e) {
            throw new IOException("the request this answers to was not answered within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
