package dev.steadfast.archive.retrieve;

import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Objects whose bytes this process has read in full and found equal to their recorded SHA-256,
 * with the CRC32C and length of those bytes: a later read that has the same CRC32C and length has
 * the same bytes, unless someone forged them (which the index's SHA-256 could not stop either, as
 * whoever can rewrite storage can usually rewrite the index). Bounded; keyed by the SHA-256, so
 * replicas of one object share an entry and a replaced object gets a new one.
 */
final class VerifiedCopies {
    record Known(long length, int crc32c) {
    }

    private record Sha(long a, long b, long c, long d) {
        static Sha of(String hex) {
            return new Sha(Long.parseUnsignedLong(hex, 0, 16, 16), Long.parseUnsignedLong(hex, 16, 32, 16),
                    Long.parseUnsignedLong(hex, 32, 48, 16), Long.parseUnsignedLong(hex, 48, 64, 16));
        }
    }

    private final int capacity;
    private final ConcurrentHashMap<Sha, Known> known = new ConcurrentHashMap<>();

    VerifiedCopies(int capacity) {
        this.capacity = capacity;
    }

    /** The remembered check for this SHA-256, or null (also for a malformed one: it is then verified in full). */
    Known get(String sha256) {
        Sha k = key(sha256);
        return k == null ? null : known.get(k);
    }

    void put(String sha256, long length, int crc32c) {
        Sha k = key(sha256);
        if (k == null || capacity == 0) {
            return;
        }
        if (known.size() >= capacity) {
            // Forget about a tenth, in no particular order: those are verified in full once more.
            int drop = Math.max(1, capacity / 10);
            for (Iterator<Sha> it = known.keySet().iterator(); it.hasNext() && drop > 0; drop--) {
                it.next();
                it.remove();
            }
        }
        known.put(k, new Known(length, crc32c));
    }

    int size() {
        return known.size();
    }

    private static Sha key(String sha256) {
        if (sha256 == null || sha256.length() != 64) {
            return null;
        }
        try {
            return Sha.of(sha256);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
