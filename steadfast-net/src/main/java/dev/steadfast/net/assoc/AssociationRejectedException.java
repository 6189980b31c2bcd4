package dev.steadfast.net.assoc;

import dev.steadfast.net.pdu.AAssociateRj;
import java.io.IOException;

/** The acceptor answered A-ASSOCIATE-RJ. */
public final class AssociationRejectedException extends IOException {
    private static final long serialVersionUID = 1L;
    private final transient AAssociateRj rejection;

    public AssociationRejectedException(AAssociateRj rejection) {
        super("association rejected: " + rejection.describe() + " (result " + rejection.result() + ", source "
                + rejection.source() + ", reason " + rejection.reason() + ")");
        this.rejection = rejection;
    }

    public AAssociateRj rejection() {
        return rejection;
    }
}
