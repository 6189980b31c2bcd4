package dev.steadfast.server.config;

import java.net.URI;
import java.time.Duration;

/**
 * The peer site (issue 17): another Steadfast this archive reconciles with and fetches from when a
 * read finds no local copy. Off ({@link #OFF}) unless {@code sites.peer.url} is set.
 *
 * @param peerUrl           the peer's HTTP base, e.g. {@code http://site-b:8080} (DICOMweb at /dicom-web, admin API at /api)
 * @param user              HTTP Basic user on the peer (it needs the admin role for /api), or null
 * @param password          its password, or null
 * @param timeout           how long one request to the peer may take (connect, then each answer)
 * @param reconcileInterval how often serve reconciles with the peer; zero: only when asked
 * @param fill              whether reconcile fills the gaps it finds (else it only reports them)
 * @param fallbackRetrieve  whether a read that finds nothing here fetches from the peer
 * @param cacheMaxAge       edge cache: studies whose latest instance arrived longer ago lose their local copy once the
 *                          peer holds them; zero: no age limit
 * @param cacheMaxBytes     edge cache: the oldest studies the peer holds lose their local copy while more is stored; 0: none
 * @param cacheInterval     how often the cache limits are applied
 * @param prefetchPriors    when a new study arrives, how many of the patient's most recent prior studies to fetch from the peer; 0: none
 * @param prefetchModalities only priors with one of these modalities (empty: any)
 * @param queryPeer         whether C-FIND and QIDO-RS also list the peer's matches for what is not held here
 * @param queryPeerTimeout  how long a query waits for the peer's matches before answering with the local ones alone
 * @param commitUpstream    storage commitment means held by the peer (the edge's central archive) too, not only here
 * @param commitMaxWait     how long a commitment held upstream waits for the peer before its instances are reported failed
 * @param fallbackDicom     the remote-aes name of a plain DICOM archive that fallback retrieve asks by C-MOVE, or null
 */
public record SitesConfig(URI peerUrl, String user, String password, Duration timeout, Duration reconcileInterval,
                          boolean fill, boolean fallbackRetrieve, Duration cacheMaxAge, long cacheMaxBytes, Duration cacheInterval,
                          int prefetchPriors, java.util.Set<String> prefetchModalities, boolean queryPeer, Duration queryPeerTimeout,
                          boolean commitUpstream, Duration commitMaxWait, String fallbackDicom) {
    public static final SitesConfig OFF = new SitesConfig(null, null, null, Duration.ofSeconds(30), Duration.ZERO, true, false,
            Duration.ZERO, 0, Duration.ofMinutes(10), 0, java.util.Set.of(), false, Duration.ofSeconds(5),
            false, Duration.ofHours(72), null);

    public SitesConfig {
        prefetchModalities = java.util.Set.copyOf(prefetchModalities);
        ConfigException.check(!cacheMaxAge.isNegative(), "cache.max-age-days", "must not be negative");
        ConfigException.check(cacheMaxBytes >= 0, "cache.max-bytes", "must not be negative");
        ConfigException.check(cacheInterval.isPositive(), "cache.check-interval-minutes", "must be at least 1");
        ConfigException.check(prefetchPriors >= 0, "prefetch.priors", "must not be negative");
        ConfigException.check(peerUrl != null || (cacheMaxAge.isZero() && cacheMaxBytes == 0), "cache.max-age-days",
                "an edge cache needs its upstream as sites.peer.url: copies are evicted only once the peer holds them");
        ConfigException.check(peerUrl != null || prefetchPriors == 0, "prefetch.priors", "needs sites.peer.url (where priors come from)");
        ConfigException.check(timeout.isPositive(), "sites.peer.timeout-seconds", "must be at least 1");
        ConfigException.check(peerUrl != null || !queryPeer, "sites.query-peer", "needs sites.peer.url (the archive to ask)");
        ConfigException.check(queryPeerTimeout.isPositive(), "sites.query-peer-timeout-seconds", "must be at least 1");
        ConfigException.check(peerUrl != null || !commitUpstream, "sites.commitment",
                "upstream needs sites.peer.url (the archive that must hold the instances)");
        ConfigException.check(commitMaxWait.isPositive(), "sites.commitment-max-wait-hours", "must be at least 1");
        ConfigException.check(!reconcileInterval.isNegative(), "sites.reconcile-interval-minutes", "must not be negative");
    }

    /** Whether a cache limit is set. */
    public boolean cacheLimited() {
        return !cacheMaxAge.isZero() || cacheMaxBytes > 0;
    }

    public boolean enabled() {
        return peerUrl != null;
    }

    @Override
    public String toString() { // never the password
        return "SitesConfig[peer=" + peerUrl + ", user=" + user + ", timeout=" + timeout + ", reconcileInterval="
                + reconcileInterval + ", fill=" + fill + ", fallbackRetrieve=" + fallbackRetrieve + ", cacheMaxAge=" + cacheMaxAge
                + ", cacheMaxBytes=" + cacheMaxBytes + ", prefetchPriors=" + prefetchPriors + " " + prefetchModalities + ", queryPeer=" + queryPeer + " " + queryPeerTimeout + ", commitment=" + (commitUpstream ? "upstream" : "local") + ", fallbackDicom=" + fallbackDicom + "]";
    }
}
