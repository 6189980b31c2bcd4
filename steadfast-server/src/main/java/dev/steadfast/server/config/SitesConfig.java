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
 */
public record SitesConfig(URI peerUrl, String user, String password, Duration timeout, Duration reconcileInterval,
                          boolean fill, boolean fallbackRetrieve) {
    public static final SitesConfig OFF = new SitesConfig(null, null, null, Duration.ofSeconds(30), Duration.ZERO, true, false);

    public SitesConfig {
        ConfigException.check(timeout.isPositive(), "sites.peer.timeout-seconds", "must be at least 1");
        ConfigException.check(!reconcileInterval.isNegative(), "sites.reconcile-interval-minutes", "must not be negative");
    }

    public boolean enabled() {
        return peerUrl != null;
    }

    @Override
    public String toString() { // never the password
        return "SitesConfig[peer=" + peerUrl + ", user=" + user + ", timeout=" + timeout + ", reconcileInterval="
                + reconcileInterval + ", fill=" + fill + ", fallbackRetrieve=" + fallbackRetrieve + "]";
    }
}
