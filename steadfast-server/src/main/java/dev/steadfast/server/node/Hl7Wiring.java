package dev.steadfast.server.node;

import dev.steadfast.archive.index.Index;
import dev.steadfast.net.assoc.TlsConfig;
import dev.steadfast.server.config.Hl7Config;
import dev.steadfast.server.config.ServeConfig;
import dev.steadfast.server.hl7.Hl7Listener;
import java.io.IOException;
import java.net.InetAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts the HL7 MLLP listener of a node from its configuration (issue 18). */
final class Hl7Wiring {
    private static final Logger LOG = LoggerFactory.getLogger(Hl7Wiring.class);

    private Hl7Wiring() {
    }

    static Hl7Listener start(ServeConfig config, Index index, TlsConfig tls, dev.steadfast.archive.audit.AccessAudit audit,
                             dev.steadfast.server.hl7.Hl7Outgoing out) throws IOException {
        Hl7Config h = config.hl7();
        Hl7Listener l;
        try {
            l = Hl7Listener.start(InetAddress.getByName(h.bind()), h.port(), h.tls() ? tls : null, h.limits(), h::allows, index,
                    config.data().resolve("hl7-journal"), audit, out == null ? dev.steadfast.server.hl7.Hl7Routing.NONE : out.routing());
        } catch (IOException e) {
            if (PortInUse.isBindFailure(e)) {
                throw new PortInUse("HL7", h.bind(), h.port(), e);
            }
            throw e;
        }
        LOG.info("HL7: MLLP{} on {}:{} (ADT A01/A04/A08/A40, ORM^O01, OMI^O23), from {} (hl7.allowed-senders); modality worklist on the DICOM port",
                h.tls() ? " over TLS" : "", h.bind(), l.port(), h.allowedSenders());
        return l;
    }
}
