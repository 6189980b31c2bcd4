package dev.steadfast.net.assoc;

import java.io.IOException;

/** What an acceptor does with an established association: the DIMSE layer serves it until release or abort. */
@FunctionalInterface
public interface AssociationHandler {
    void serve(Association association) throws IOException;
}
