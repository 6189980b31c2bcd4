package dev.steadfast.archive.config;

/**
 * @param caseInsensitivePersonNames match PN attributes ignoring case (default true, what
 *                                   users expect; PS3.4 C.2.2.2.1 allows either)
 * @param maxResults                 hard ceiling on matches returned by one query, 0 for none
 *                                   (default 0; QIDO adds its own limit per request)
 */
public record QueryConfig(boolean caseInsensitivePersonNames, int maxResults) {
    public static final QueryConfig DEFAULT = new QueryConfig(true, 0);

    public QueryConfig {
        if (maxResults < 0) {
            throw new IllegalArgumentException("maxResults must be >= 0");
        }
    }
}
