package dev.steadfast.net.dimse;

/** Verification SCP (PS3.4 annex A). */
@FunctionalInterface
public interface CEchoService {
    CEchoService DEFAULT = rq -> Status.SUCCESS;

    Status echo(DimseRequest rq) throws DimseException;
}
