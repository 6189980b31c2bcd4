package dev.steadfast.server.sites;

import dev.steadfast.archive.admin.StudyDeletion;
import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.ingest.IngestService;
import dev.steadfast.archive.retrieve.RemoteCopies;
import dev.steadfast.archive.retrieve.RetrieveEngine;
import dev.steadfast.archive.sites.Inventory;
import dev.steadfast.server.config.SitesConfig;
import dev.steadfast.web.admin.InventoryService;
import dev.steadfast.web.http.Exchange;
import dev.steadfast.web.http.HttpError;
import dev.steadfast.web.http.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The second site as serve runs it (issue 17): the inventory every Steadfast offers its peers
 * ({@code /api/inventory}), and, when {@code sites.peer.url} is set, fallback retrieve, reconcile on
 * demand ({@code POST /api/reconcile}) and every {@code sites.reconcile-interval-minutes}, its last
 * report ({@code GET /api/reconcile}) and its metrics.
 */
public final class Sites implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Sites.class);

    private final SitesConfig config;
    private final Inventory inventory;
    private final FallbackRetrieve fallback;
    private final SiteCopier copier;
    private final Index index;
    private final dev.steadfast.archive.storage.Storage storage;
    private final Prefetch prefetch;
    private final PeerQuery peerQuery;
    private final UpstreamHolds upstreamHolds;
    private dev.steadfast.archive.sites.CacheEviction cache;
    private volatile dev.steadfast.archive.sites.CacheEviction.Result lastEviction;
    private final AtomicLong evictedTotal = new AtomicLong();
    private Reconciler reconciler;
    private ScheduledExecutorService timer;
    private volatile ReconcileReport last;
    private final AtomicLong runs = new AtomicLong();
    private final AtomicLong filledTotal = new AtomicLong();

    private final dev.steadfast.archive.audit.AccessAudit audit;

    public Sites(SitesConfig config, Index index, IngestService ingest, dev.steadfast.archive.storage.Storage storage, Path temporary,
                 dev.steadfast.archive.audit.AccessAudit audit) {
        this.audit = audit;
        this.storage = storage;
        this.config = config;
        this.inventory = new Inventory(index);
        this.index = index;
        if (config.enabled()) {
            copier = new SiteCopier(new PeerClient(config), ingest, index, temporary, audit);
            fallback = config.fallbackRetrieve() ? new FallbackRetrieve(copier, inventory, index, storage) : null;
        } else {
            copier = null;
            fallback = null;
        }
        if (copier != null && config.prefetchPriors() > 0) {
            prefetch = new Prefetch(copier.peer(), copier, index, config.prefetchPriors(), config.prefetchModalities(), Duration.ofSeconds(5),
                    Duration.ofSeconds(Math.max(120, 4 * config.timeout().toSeconds())));
            ingest.onStored(r -> prefetch.wake());
        } else {
            prefetch = null;
        }
        peerQuery = copier != null && config.queryPeer() ? new PeerQuery(copier.peer(), inventory, config.queryPeerTimeout()) : null;
        upstreamHolds = copier != null && config.commitUpstream() ? new UpstreamHolds(copier.peer()) : null;
    }

    /** What storage commitment asks with {@code sites.commitment: upstream}, or null (held here is enough). */
    public dev.steadfast.server.dimse.StorageCommitmentAdapter.HeldUpstream heldUpstream() {
        return upstreamHolds;
    }

    /** What C-FIND and QIDO-RS also ask ({@code sites.query-peer}), or null: local answers only. */
    public dev.steadfast.archive.query.RemoteQuery remoteQuery() {
        return peerQuery;
    }

    /**
     * Before anything is indexed (the journal's replay too): with prefetch on, a new study's
     * look-up is queued in the transaction that indexes its first instance.
     */
    public static void route(SitesConfig config, Index index) {
        if (config.enabled() && config.prefetchPriors() > 0) {
            index.addEvents(new dev.steadfast.archive.sites.PrefetchQueue.Trigger(Clock.systemUTC()));
        }
    }

    /** What the retrieve engine asks when a read finds nothing here. */
    public RemoteCopies remoteCopies() {
        return fallback == null ? RemoteCopies.NONE : fallback;
    }

    /** Completes the wiring once the retrieve engine exists, and starts periodic reconcile when configured. */
    public void start(RetrieveEngine retrieve, StudyDeletion deletion) {
        if (copier == null) {
            return;
        }
        reconciler = new Reconciler(inventory, copier.peer(), copier, retrieve, deletion, Clock.systemUTC(), audit);
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "steadfast-sites");
            t.setDaemon(true);
            return t;
        });
        long every = config.reconcileInterval().toSeconds();
        if (every > 0) {
            timer.scheduleWithFixedDelay(() -> reconcile(config.fill()), every, every, TimeUnit.SECONDS);
        }
        if (config.cacheLimited()) {
            cache = new dev.steadfast.archive.sites.CacheEviction(index, storage, new PeerHolds(copier.peer()), config.cacheMaxAge(),
                    config.cacheMaxBytes(), Clock.systemUTC());
            long check = config.cacheInterval().toSeconds();
            timer.scheduleWithFixedDelay(() -> {
                try {
                    evict();
                } catch (RuntimeException e) {
                    LOG.warn("cache eviction failed: {}", e.toString());
                }
            }, check, check, TimeUnit.SECONDS);
        }
        LOG.info("sites: peer {}; fallback retrieve {}; reconcile {}", config.peerUrl(), fallback != null ? "on" : "off",
                every > 0 ? "every " + config.reconcileInterval().toMinutes() + " min" : "on demand (POST /api/reconcile)");
    }

    /** One reconcile now (one at a time); the report is also kept for {@code GET /api/reconcile}. */
    public synchronized ReconcileReport reconcile(boolean fill) {
        if (reconciler == null) {
            throw new IllegalStateException("no peer site configured (sites.peer.url)");
        }
        try {
            ReconcileReport r = reconciler.run(fill);
            runs.incrementAndGet();
            filledTotal.addAndGet(r.count(ReconcileReport.Outcome.FILLED) + r.count(ReconcileReport.Outcome.DELETED));
            last = r;
            return r;
        } catch (RuntimeException e) { // the timer must survive a bad run
            LOG.warn("reconcile failed: {}", e.toString());
            throw e;
        }
    }

    /** Applies the cache limits now (edge cache); null when none is configured. */
    public dev.steadfast.archive.sites.CacheEviction.Result evict() {
        if (cache == null) {
            return null;
        }
        var r = cache.run();
        evictedTotal.addAndGet(r.evicted());
        lastEviction = r;
        return r;
    }

    /** Routes under {@code /api}: the inventory (always), and reconcile (with a peer). */
    public List<Route> routes() {
        List<Route> out = new ArrayList<>(new InventoryService(inventory).routes());
        out.add(Route.of("GET", "/reconcile", this::status));
        out.add(Route.of("POST", "/reconcile", this::runNow));
        out.add(Route.of("POST", "/cache/evict", x -> {
            var r = evict();
            if (r == null) {
                throw new HttpError(409, "no cache limit is configured (cache.max-age-days, cache.max-bytes)");
            }
            send(x, "{\"evicted\":" + r.evicted() + ",\"bytesFreed\":" + r.bytesFreed() + ",\"keptNotHeldUpstream\":"
                    + r.keptNotUpstream() + ",\"bytesCached\":" + r.bytesLeft() + "}");
        }));
        return out;
    }

    private void status(Exchange x) throws IOException {
        ReconcileReport r = last;
        send(x, r != null ? r.json() : "{\"peer\":" + (config.enabled() ? "\"" + config.peerUrl() + "\"" : "null")
                + ",\"lastRun\":null,\"intervalMinutes\":" + config.reconcileInterval().toMinutes() + "}");
    }

    private void runNow(Exchange x) throws IOException {
        if (reconciler == null) {
            throw new HttpError(409, "no peer site is configured; set sites.peer.url");
        }
        String fill = x.queryParam("fill");
        send(x, reconcile(fill == null ? config.fill() : Boolean.parseBoolean(fill)).json());
    }

    private static void send(Exchange x, String json) throws IOException {
        x.status(200);
        x.setHeader("Cache-Control", "no-store");
        try (OutputStream out = x.open("application/json", true)) {
            out.write(json.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Prometheus lines (docs/DEPLOYMENT.md, metrics); empty without a peer. */
    public String prometheus() {
        if (copier == null) {
            return "";
        }
        ReconcileReport r = last;
        StringBuilder b = new StringBuilder();
        b.append("# HELP steadfast_reconcile_runs_total Reconciles with the peer site run since start.\n")
                .append("# TYPE steadfast_reconcile_runs_total counter\n")
                .append("steadfast_reconcile_runs_total ").append(runs.get()).append('\n')
                .append("# HELP steadfast_reconcile_last_run_timestamp_seconds When the last reconcile finished (0: never).\n")
                .append("# TYPE steadfast_reconcile_last_run_timestamp_seconds gauge\n")
                .append("steadfast_reconcile_last_run_timestamp_seconds ").append(r == null ? 0 : r.finishedAt() / 1000).append('\n')
                .append("# HELP steadfast_reconcile_last_differences Differences the last reconcile found.\n")
                .append("# TYPE steadfast_reconcile_last_differences gauge\n")
                .append("steadfast_reconcile_last_differences ").append(r == null ? 0 : r.differences().size()).append('\n')
                .append("# HELP steadfast_reconcile_last_failed Differences the last reconcile could not resolve, plus 1 if it stopped early.\n")
                .append("# TYPE steadfast_reconcile_last_failed gauge\n")
                .append("steadfast_reconcile_last_failed ").append(r == null ? 0 : r.count(ReconcileReport.Outcome.FAILED)
                        + (r.error() == null ? 0 : 1)).append('\n')
                .append("# HELP steadfast_reconcile_filled_total Instances copied and studies deleted by reconcile since start.\n")
                .append("# TYPE steadfast_reconcile_filled_total counter\n")
                .append("steadfast_reconcile_filled_total ").append(filledTotal.get()).append('\n');
        if (fallback != null) {
            b.append("# HELP steadfast_fallback_retrieved_total Instances fetched from the peer site because a read found none here.\n")
                    .append("# TYPE steadfast_fallback_retrieved_total counter\n")
                    .append("steadfast_fallback_retrieved_total ").append(fallback.fetched.get()).append('\n')
                    .append("# HELP steadfast_fallback_failures_total Reads that could not ask the peer site.\n")
                    .append("# TYPE steadfast_fallback_failures_total counter\n")
                    .append("steadfast_fallback_failures_total ").append(fallback.failures.get()).append('\n')
                    .append("# HELP steadfast_fallback_restored_total Indexed instances whose missing object was restored from the peer site.\n")
                    .append("# TYPE steadfast_fallback_restored_total counter\n")
                    .append("steadfast_fallback_restored_total ").append(fallback.restored.get()).append('\n');
        }
        if (cache != null) {
            var e = lastEviction;
            b.append("# HELP steadfast_cache_evicted_studies_total Studies whose local copies the cache limits removed (held upstream).\n")
                    .append("# TYPE steadfast_cache_evicted_studies_total counter\n")
                    .append("steadfast_cache_evicted_studies_total ").append(evictedTotal.get()).append('\n')
                    .append("# HELP steadfast_cache_kept_not_upstream Studies past the cache limits kept because the peer does not hold them (last pass).\n")
                    .append("# TYPE steadfast_cache_kept_not_upstream gauge\n")
                    .append("steadfast_cache_kept_not_upstream ").append(e == null ? 0 : e.keptNotUpstream()).append('\n');
        }
        if (peerQuery != null) {
            b.append("# HELP steadfast_query_peer_answers_total C-FIND and QIDO-RS searches the peer site answered in time.\n")
                    .append("# TYPE steadfast_query_peer_answers_total counter\n")
                    .append("steadfast_query_peer_answers_total ").append(peerQuery.answered.get()).append('\n')
                    .append("# HELP steadfast_query_peer_failures_total C-FIND and QIDO-RS searches answered without the peer site (no answer in time, or an error).\n")
                    .append("# TYPE steadfast_query_peer_failures_total counter\n")
                    .append("steadfast_query_peer_failures_total ").append(peerQuery.failures.get()).append('\n');
        }
        if (upstreamHolds != null) {
            b.append("# HELP steadfast_commitment_upstream_checks_total Storage commitment checks of whether the peer holds the instances.\n")
                    .append("# TYPE steadfast_commitment_upstream_checks_total counter\n")
                    .append("steadfast_commitment_upstream_checks_total ").append(upstreamHolds.checks.get()).append('\n')
                    .append("# HELP steadfast_commitment_upstream_lacking_total Checks that found the peer lacking an instance (or unreachable): the report waits.\n")
                    .append("# TYPE steadfast_commitment_upstream_lacking_total counter\n")
                    .append("steadfast_commitment_upstream_lacking_total ").append(upstreamHolds.lacking.get()).append('\n');
        }
        if (prefetch != null) {
            b.append("# HELP steadfast_prefetch_studies_total Prior studies fetched from the peer.\n")
                    .append("# TYPE steadfast_prefetch_studies_total counter\n")
                    .append("steadfast_prefetch_studies_total ").append(prefetch.studiesFetched.get()).append('\n')
                    .append("# HELP steadfast_prefetch_waiting Prefetches queued or waiting to be retried.\n")
                    .append("# TYPE steadfast_prefetch_waiting gauge\n")
                    .append("steadfast_prefetch_waiting ").append(prefetch.waiting()).append('\n')
                    .append("# HELP steadfast_prefetch_retries_total Prefetch tries that failed and were queued again.\n")
                    .append("# TYPE steadfast_prefetch_retries_total counter\n")
                    .append("steadfast_prefetch_retries_total ").append(prefetch.retries.get()).append('\n')
                    .append("# HELP steadfast_prefetch_failures_total Prefetches given up after every retry.\n")
                    .append("# TYPE steadfast_prefetch_failures_total counter\n")
                    .append("steadfast_prefetch_failures_total ").append(prefetch.failures.get()).append('\n');
        }
        return b.toString();
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
        if (prefetch != null) {
            prefetch.close();
        }
    }
}
