package dev.steadfast.archive.admin;

/** A deletion this archive must not do (immutable storage); nothing was changed. */
public final class DeletionRefusedException extends RuntimeException {
    public DeletionRefusedException(String message) {
        super(message);
    }
}
