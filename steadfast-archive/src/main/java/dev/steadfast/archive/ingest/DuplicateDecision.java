package dev.steadfast.archive.ingest;

import dev.steadfast.archive.config.DuplicatePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;

/**
 * The one place that decides what an instance arriving under an already stored SOP Instance UID
 * does, from the configured {@link DuplicatePolicy}, and that logs every decision that keeps,
 * refuses or replaces different bytes: SOP Instance UID, calling AE and both digests, never
 * patient data. Called under the ingest lock of that UID, so the answer holds until the commit.
 */
final class DuplicateDecision {
    private static final Logger log = LoggerFactory.getLogger(DuplicateDecision.class);

    /** What ingest does with the incoming bytes. */
    enum Verdict {
        /** Nothing stored under the UID: store. */
        NEW,
        /** The same bytes again: acknowledge, change nothing. */
        IDENTICAL,
        /** Different bytes, policy replace: store them in place of the old ones. */
        REPLACE,
        /** Different bytes, policy keep-first: discard them, answer a warning. */
        KEEP_FIRST,
        /** Different bytes, policy reject: refuse them. */
        REJECT
    }

    /**
     * One version of an instance, as far as the decision needs it.
     *
     * @param digest         SHA-256 of the data set as received (from the index), or of the stored
     *                       object when only storage can say (index down); null when unknown
     * @param transferSyntax null when unknown (then only the digest and key count)
     * @param storageKey     where its bytes live
     */
    record Version(String digest, String transferSyntax, String storageKey) {}

    private final DuplicatePolicy policy;

    DuplicateDecision(DuplicatePolicy policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    /**
     * @param stored   what is stored under the UID, or null when nothing is
     * @param incoming what just arrived (staged, not yet visible)
     */
    Verdict decide(String sopUid, Version stored, Version incoming, String callingAe) {
        if (stored == null) {
            return Verdict.NEW;
        }
        if (stored.digest() != null && stored.digest().equals(incoming.digest())
                && Objects.equals(stored.transferSyntax(), incoming.transferSyntax())
                && stored.storageKey().equals(incoming.storageKey())) {
            return Verdict.IDENTICAL;
        }
        Verdict v = switch (policy) {
            case REPLACE -> Verdict.REPLACE;
            case KEEP_FIRST -> Verdict.KEEP_FIRST;
            case REJECT -> Verdict.REJECT;
        };
        if (v == Verdict.KEEP_FIRST) {
            log.warn("instance {} from {} re-sent with different bytes: kept the stored copy, discarded the new one"
                    + " (policy keep-first); stored sha256 {} {}, received sha256 {} {}", sopUid, callingAe,
                    stored.digest(), stored.transferSyntax(), incoming.digest(), incoming.transferSyntax());
        } else if (v == Verdict.REJECT) {
            log.warn("instance {} from {} re-sent with different bytes: refused (policy reject); stored sha256 {} {},"
                    + " received sha256 {} {}", sopUid, callingAe, stored.digest(), stored.transferSyntax(),
                    incoming.digest(), incoming.transferSyntax());
        }
        return v;
    }

    /** Logs a replacement once it is durable (policy replace): what was stored and what is now. */
    void replaced(String sopUid, Version stored, Version now, String callingAe) {
        log.warn("instance {} from {} re-sent with different bytes: replaced the stored copy (policy replace);"
                + " old sha256 {} {} at {}, new sha256 {} {} at {}", sopUid, callingAe, stored.digest(),
                stored.transferSyntax(), stored.storageKey(), now.digest(), now.transferSyntax(), now.storageKey());
    }

    /** The message a refused sender gets: no patient data, no digests (those are in the log). */
    static String rejectedMessage() {
        return "instance already stored with different content; refused (policy reject)";
    }
}
