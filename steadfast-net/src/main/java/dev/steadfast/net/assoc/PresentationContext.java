package dev.steadfast.net.assoc;

import dev.steadfast.net.pdu.AAssociateAc;
import dev.steadfast.net.pdu.AAssociateRq;
import dev.steadfast.net.pdu.PresentationContextAc;
import dev.steadfast.net.pdu.PresentationContextRq;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** A negotiated presentation context: what was proposed and what the acceptor answered. */
public record PresentationContext(int id, String abstractSyntax, String transferSyntax, int result) {
    public boolean accepted() {
        return result == 0;
    }

    /** Every proposed context with its answer (a context the acceptor left out counts as rejected). */
    static Map<Integer, PresentationContext> negotiated(AAssociateRq rq, AAssociateAc ac) {
        Map<Integer, PresentationContext> m = new LinkedHashMap<>();
        for (PresentationContextRq p : rq.presentationContexts()) {
            PresentationContextAc a = ac.presentationContext(p.id());
            int result = a == null ? PresentationContextAc.NO_REASON : a.result();
            m.put(p.id(), new PresentationContext(p.id(), p.abstractSyntax(), a == null ? null : a.transferSyntax(), result));
        }
        return Collections.unmodifiableMap(m);
    }
}
