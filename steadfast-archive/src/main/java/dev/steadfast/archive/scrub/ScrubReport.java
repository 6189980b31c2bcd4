package dev.steadfast.archive.scrub;

import java.util.List;

/**
 * What a repair or scrub pass found and did.
 *
 * @param objects          keys examined
 * @param bytesRead        bytes read to verify copies (0 for a repair pass)
 * @param missingRepaired  copies that were absent on a target and were copied there
 * @param damagedRepaired  copies whose bytes did not match their checksum and were replaced
 * @param deletedRemoved   copies of deleted studies found (on a target that was down during the
 *                         delete) and removed
 * @param unrepairable     keys with no good copy left anywhere (at most 1000 listed)
 * @param notOurs          keys the archive did not write (no index record, no checksum recorded on a
 *                         target that records one with every object): reported and left alone,
 *                         never copied to other targets (at most 1000 listed)
 * @param skippedTargets   targets that were down during the pass (their copies were not checked)
 */
public record ScrubReport(long objects, long bytesRead, long missingRepaired, long damagedRepaired,
                          long deletedRemoved, List<String> unrepairable, List<String> notOurs, List<String> skippedTargets,
                          long millis) {

    public boolean clean() {
        return unrepairable.isEmpty() && skippedTargets.isEmpty();
    }

    /** A few lines for a person. */
    public String render() {
        StringBuilder sb = new StringBuilder();
        sb.append("objects checked:   ").append(objects).append('\n');
        sb.append("bytes verified:    ").append(bytesRead).append('\n');
        sb.append("missing repaired:  ").append(missingRepaired).append('\n');
        sb.append("damaged repaired:  ").append(damagedRepaired).append('\n');
        if (deletedRemoved > 0) {
            sb.append("deleted removed:   ").append(deletedRemoved).append('\n');
        }
        sb.append("unrepairable:      ").append(unrepairable.size()).append('\n');
        for (String k : unrepairable) {
            sb.append("  ").append(k).append('\n');
        }
        if (!notOurs.isEmpty()) {
            sb.append("not written by the archive (left alone, not copied): ").append(notOurs.size()).append('\n');
            for (String k : notOurs) {
                sb.append("  ").append(k).append('\n');
            }
        }
        if (!skippedTargets.isEmpty()) {
            sb.append("targets down (not checked): ").append(String.join(", ", skippedTargets)).append('\n');
        }
        sb.append("time:              ").append(millis).append(" ms\n");
        return sb.toString();
    }
}
