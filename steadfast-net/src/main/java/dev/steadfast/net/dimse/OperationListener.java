package dev.steadfast.net.dimse;

/** Told of every DIMSE operation a {@link Dispatcher} served (for metrics): its command and how long it took, answers included. */
@FunctionalInterface
public interface OperationListener {
    /** @param failed whether the operation ended in a failure status raised by its handler or the framework */
    void completed(Dimse request, long nanos, boolean failed);
}
