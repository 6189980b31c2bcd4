package dev.steadfast.net.dimse;

/** Retrieve SCP with C-GET (PS3.4 annex C): sub-operations go back over the same association. */
@FunctionalInterface
public interface CGetService extends RetrieveService {
}
