package dev.steadfast.server.hl7;

import dev.steadfast.archive.forward.ForwardEntry;
import dev.steadfast.archive.forward.ForwardQueue;
import dev.steadfast.archive.forward.ForwardSender;
import dev.steadfast.archive.index.Index;
import dev.steadfast.net.assoc.TlsConfig;
import dev.steadfast.server.config.Hl7OutConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLSocket;

/**
 * Delivers one HL7 destination's queue over MLLP (issue 18, docs/HL7.md "Outgoing"), in order,
 * one message at a time on one connection, and checks each acknowledgement (original mode):
 * <ul>
 * <li>AA (or CA): delivered;</li>
 * <li>AE, AR (or CE, CR): a dead letter at once, with MSA-3 / ERR as the reason; sending it again
 * would get the same answer, and the next message goes on;</li>
 * <li>no acknowledgement within the timeout: sent again later (counts toward hl7.out.max-attempts);</li>
 * <li>no connection, or the connection closed: the destination is down; retried with backoff, never
 * dead-lettered, the queue waits in order.</li>
 * </ul>
 * A queued HL7 message is sent as queued; a report (a STORE entry) becomes its ORU^R01 when sent.
 */
final class Hl7Sender implements ForwardSender {
    private static final long MAX_ACK_BYTES = 1 << 20;

    private final Hl7OutConfig.Destination destination;
    private final Duration ackTimeout;
    private final TlsConfig tls;
    private final Index index;
    private final ReportMessages reports;

    Hl7Sender(Hl7OutConfig.Destination destination, Duration ackTimeout, TlsConfig tls, Index index, ReportMessages reports) {
        this.destination = destination;
        this.ackTimeout = ackTimeout;
        this.tls = tls;
        this.index = index;
        this.reports = reports;
    }

    @Override
    public String name() {
        return destination.name();
    }

    @Override
    public boolean ordered() {
        return true; // HL7 receivers expect a patient's or an order's messages in the order they happened
    }

    @Override
    public Link open(List<ForwardEntry> batch) throws IOException {
        Socket s = connect();
        MllpFrames acks = new MllpFrames(s, MAX_ACK_BYTES);
        return new Link() {
            @Override
            public Result send(ForwardEntry e) throws IOException, Refused {
                String text = switch (e.kind()) {
                    case HL7 -> index.read(tx -> new ForwardQueue(tx).message(e.id()));
                    case STORE -> reports.oru(e, destination);
                    case DELETE -> null; // nothing to tell an HL7 system
                };
                if (text == null) {
                    return Result.GONE;
                }
                Msh msh = Msh.of(text);
                String control = msh == null ? "" : msh.controlId();
                MllpFrames.write(s.getOutputStream(), text);
                String ack = acks.read(ackTimeout.toMillis(), ackTimeout.toMillis());
                if (ack == null) {
                    if (acks.idle()) {
                        throw new Refused("no acknowledgement within " + ackTimeout.toSeconds() + " s");
                    }
                    throw new IOException("the destination closed the connection without an acknowledgement");
                }
                return checked(ack, control);
            }

            @Override
            public void close() {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // nothing more to say to it
                }
            }
        };
    }

    private Socket connect() throws IOException {
        Socket plain = new Socket();
        try {
            plain.connect(new InetSocketAddress(destination.host(), destination.port()), (int) ackTimeout.toMillis());
            plain.setTcpNoDelay(true);
            if (!destination.tls()) {
                return plain;
            }
            SSLSocket s = (SSLSocket) tls.context().getSocketFactory().createSocket(plain, destination.host(), destination.port(), true);
            s.setSSLParameters(tls.clientParameters(destination.host())); // its certificate must name the host, as for DICOM
            s.setSoTimeout((int) ackTimeout.toMillis());
            s.startHandshake();
            return s;
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }

    /** SENT for AA/CA to this message; a permanent refusal for AE/AR/CE/CR. */
    static Result checked(String ack, String control) throws IOException, Refused {
        String msa = null;
        String err = null;
        for (String seg : ack.split("\r")) {
            if (seg.startsWith("MSA") && msa == null) {
                msa = seg;
            } else if (seg.startsWith("ERR") && err == null) {
                err = seg;
            }
        }
        if (msa == null || msa.length() < 4) {
            throw new IOException("the answer has no MSA segment");
        }
        String[] f = msa.split(java.util.regex.Pattern.quote(String.valueOf(msa.charAt(3))), -1);
        String code = f.length > 1 ? f[1].strip() : "";
        String of = f.length > 2 ? f[2].strip() : "";
        if (!control.isEmpty() && !of.equals(control)) {
            throw new IOException("acknowledgement of another message (MSA-2 " + of + ", sent " + control + ")");
        }
        if ("AA".equals(code) || "CA".equals(code)) {
            return Result.SENT;
        }
        String text = f.length > 3 && !f[3].isBlank() ? f[3].strip() : null;
        String why = text != null ? text : err != null ? err : "no reason given";
        throw new Refused("answered " + code + ": " + why, true);
    }
}
