package dev.steadfast.server.forward;

import dev.steadfast.archive.forward.ForwardSender;
import dev.steadfast.archive.retrieve.CorruptInstanceException;
import java.io.IOException;
import java.nio.file.NoSuchFileException;

/**
 * A stored copy that cannot be forwarded as it is (it fails its SHA-256 check, or it is gone and no
 * peer gave it back) is this archive's problem with one entry, not the destination being
 * unreachable: it must count toward the entry's dead letter. Before (attack7a), it was retried as
 * "unreachable" without limit, and on an ordered queue one damaged file on a single storage target
 * (which nothing repairs) held every later instance back for good.
 */
final class UnusableCopy {
    private UnusableCopy() {
    }

    /**
     * Runs the check of the stored copy; a damaged or missing copy becomes a refusal naming it.
     * Returns false when the copy is missing because the instance was deleted meanwhile (nothing to send).
     */
    static boolean check(String sopUid, Check check, java.util.function.BooleanSupplier stillIndexed)
            throws IOException, ForwardSender.Refused {
        try {
            check.run();
            return true;
        } catch (CorruptInstanceException | NoSuchFileException e) {
            if (e instanceof NoSuchFileException && !stillIndexed.getAsBoolean()) {
                return false; // deleted (or rejected) while this entry waited: as if found gone
            }
            throw new ForwardSender.Refused("not sent: the stored copy of " + sopUid + " is "
                    + (e instanceof NoSuchFileException ? "missing" : "damaged") + " (" + e.getMessage()
                    + "); repair it (steadfast verify, or a re-send), then retry the dead letter");
        }
    }

    @FunctionalInterface
    interface Check {
        void run() throws IOException;
    }
}
