package dev.steadfast.archive.config;

import java.time.Duration;

/**
 * @param caseInsensitivePersonNames match PN attributes ignoring case (default true, what
 *                                   users expect; PS3.4 C.2.2.2.1 allows either)
 * @param maxResults                 hard ceiling on matches returned by one query, 0 for none
 *                                   (default 0; QIDO adds its own limit per request)
 * @param timeout                    the longest one query may work (matching and answering; the
 *                                   time its client takes to read the answers is not counted),
 *                                   {@link Duration#ZERO} for no limit (default 30 s)
 * @param maxMatchingKeys            most keys with a value (matching keys, sequence items
 *                                   included) one query may have (default 64)
 * @param threads                    how many queries match at once on the bounded query pool
 *                                   (default: the number of processors); more wait their turn
 */
public record QueryConfig(boolean caseInsensitivePersonNames, int maxResults, Duration timeout, int maxMatchingKeys,
                          int threads) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_MAX_MATCHING_KEYS = 64;
    public static final QueryConfig DEFAULT = new QueryConfig(true, 0);

    public QueryConfig {
        if (maxResults < 0) {
            throw new IllegalArgumentException("maxResults must be >= 0");
        }
        if (timeout == null || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must be >= 0");
        }
        if (maxMatchingKeys < 1) {
            throw new IllegalArgumentException("maxMatchingKeys must be >= 1");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1");
        }
    }

    /** The defaults for everything but these two. */
    public QueryConfig(boolean caseInsensitivePersonNames, int maxResults) {
        this(caseInsensitivePersonNames, maxResults, DEFAULT_TIMEOUT, DEFAULT_MAX_MATCHING_KEYS, defaultThreads());
    }

    public static int defaultThreads() {
        return Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    public QueryConfig withTimeout(Duration t) {
        return new QueryConfig(caseInsensitivePersonNames, maxResults, t, maxMatchingKeys, threads);
    }
}
