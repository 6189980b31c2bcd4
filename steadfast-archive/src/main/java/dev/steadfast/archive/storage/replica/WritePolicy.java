package dev.steadfast.archive.storage.replica;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How many storage targets must hold an instance durably before it is acknowledged. Storage
 * commitment success means the same: modalities delete their own copy on it.
 *
 * @param required copies that must be durable; {@code 0} means every configured target ({@code all})
 */
public record WritePolicy(int required) {
    private static final Pattern QUORUM = Pattern.compile("\\s*(\\d+)\\s+of\\s+(\\d+)\\s*");

    public static final WritePolicy ALL = new WritePolicy(0);

    public WritePolicy {
        if (required < 0) {
            throw new IllegalArgumentException("required copies must be >= 0");
        }
    }

    public static WritePolicy quorum(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("a quorum needs at least 1 copy");
        }
        return new WritePolicy(n);
    }

    /** {@code all}, or {@code N of M} (M must be the number of targets). */
    public static WritePolicy parse(String text, int targets) {
        if (text == null || text.isBlank() || text.strip().equalsIgnoreCase("all")) {
            return ALL;
        }
        Matcher m = QUORUM.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("write policy must be 'all' or 'N of M', not '" + text + "'");
        }
        int n = Integer.parseInt(m.group(1));
        int of = Integer.parseInt(m.group(2));
        if (of != targets || n < 1 || n > of) {
            throw new IllegalArgumentException("write policy '" + text + "' does not fit " + targets + " targets");
        }
        return quorum(n);
    }

    /** Copies needed with {@code targets} configured. */
    public int requiredOf(int targets) {
        return required == 0 ? targets : Math.min(required, targets);
    }

    @Override
    public String toString() { return required == 0 ? "all" : required + " of M"; }
}
