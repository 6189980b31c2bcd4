package dev.steadfast.net.assoc;

import java.io.IOException;

/** The association ended without an orderly release: A-ABORT either way, A-P-ABORT, a closed or stalled transport. */
public class AssociationAbortedException extends IOException {
    private static final long serialVersionUID = 1L;

    public AssociationAbortedException(String message) {
        super(message);
    }

    public AssociationAbortedException(String message, Throwable cause) {
        super(message, cause);
    }
}
