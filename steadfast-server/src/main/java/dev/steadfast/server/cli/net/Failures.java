package dev.steadfast.server.cli.net;

import dev.steadfast.net.assoc.AssociationRejectedException;
import dev.steadfast.net.dimse.DimseException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;

/** One clear line per failure, and the exit codes the network commands share. */
final class Failures {
    static final int OK = 0;
    /** The peer answered with a failure, or some instances failed. */
    static final int FAILED = 1;
    /** Could not talk to the peer at all: connection refused, rejected, aborted. */
    static final int UNREACHABLE = 3;

    private Failures() {
    }

    static int report(PrintWriter err, RemoteAe peer, Exception e) {
        err.println("error: " + peer + ": " + describe(e));
        return e instanceof DimseException ? FAILED : UNREACHABLE;
    }

    /** After a cancelled C-MOVE/C-GET: how many sub-operations the peer never started. */
    static String notDone(dev.steadfast.net.dimse.DimseResponse r) {
        return r.status().category() == dev.steadfast.net.dimse.Status.Category.CANCEL ? ", " + r.remaining() + " not sent (cancelled)" : "";
    }

    static String describe(Exception e) {
        return switch (e) {
            case ConnectException c -> "connection refused";
            case UnknownHostException u -> "unknown host " + u.getMessage();
            case SocketTimeoutException t -> "timed out";
            case AssociationRejectedException r -> r.getMessage();
            case DimseException d -> d.status() + " " + d.errorComment();
            default -> e.getMessage() == null ? e.toString() : e.getMessage();
        };
    }
}
