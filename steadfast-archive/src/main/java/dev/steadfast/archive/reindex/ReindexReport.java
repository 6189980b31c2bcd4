package dev.steadfast.archive.reindex;

import java.util.List;

/**
 * What a reindex did.
 *
 * @param objects        objects found in storage
 * @param indexed        instances written to the index by this run
 * @param alreadyIndexed objects skipped because the index already held them (a resumed run)
 * @param deleted        objects of studies deleted from this index (left on a target that was down
 *                       during the delete), not indexed again
 * @param damaged        objects whose bytes no longer match the checksum recorded with them (not
 *                       indexed: run scrub to repair them from a replica), at most 1000 listed
 * @param unreadable     objects with a recorded checksum (or on a target that records none) that cannot
 *                       be read as stored instances, at most 1000 listed
 * @param notOurs        objects the archive did not write (no checksum recorded with them on targets that
 *                       record one with every object): reported, not indexed, not a failure; at most 1000 listed
 * @param unverified     of {@code indexed}, instances indexed from their header and recorded checksum only
 *                       (a header-only run): pending until a scrub ({@code steadfast verify}) has read them
 */
public record ReindexReport(long objects, long indexed, long alreadyIndexed, long deleted, List<String> damaged,
                            List<String> unreadable, List<String> notOurs, long bytes, long millis, long unverified) {

    public double instancesPerSecond() {
        return millis == 0 ? 0 : (indexed + alreadyIndexed) * 1000.0 / millis;
    }

    public String render() {
        return String.format("objects in storage: %d%nindexed:            %d%n%salready indexed:    %d%n%s"
                        + "damaged (skipped):  %d%s%nunreadable:         %d%s%n%stime:               %d ms (%.0f instances/s)%n",
                objects, indexed, unverified == 0 ? "" : String.format(
                        "  of which unverified: %d (header and checksum recorded at ingest; pending until verify has read them)%n", unverified),
                alreadyIndexed,
                deleted == 0 ? "" : String.format("deleted (skipped):  %d%n", deleted), damaged.size(), list(damaged), unreadable.size(), list(unreadable),
                notOurs.isEmpty() ? "" : String.format("not written by the archive (not indexed): %d%s%n", notOurs.size(), list(notOurs)),
                millis, instancesPerSecond());
    }

    private static String list(List<String> keys) {
        StringBuilder sb = new StringBuilder();
        for (String k : keys) {
            sb.append(System.lineSeparator()).append("  ").append(k);
        }
        return sb.toString();
    }
}
