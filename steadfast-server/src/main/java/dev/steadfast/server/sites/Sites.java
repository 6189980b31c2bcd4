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
    private Reconciler reconciler;
    private ScheduledExecutorService timer;
    private volatile ReconcileReport last;
    private final AtomicLong runs = new AtomicLong();
    private final AtomicLong filledTotal = new AtomicLong();

    public Sites(SitesConfig config, Index index, IngestService ingest, Path temporary) {
        this.config = config;
        this.inventory = new Inventory(index);
        if (config.enabled()) {
            copier = new SiteCopier(new PeerClient(config), ingest, index, temporary);
            fallback = config.fallbackRetrieve() ? new FallbackRetrieve(copier, inventory, index) : null;
        } else {
            copier = null;
            fallback = null;
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
        reconciler = new Reconciler(inventory, copier.peer(), copier, retrieve, deletion, Clock.systemUTC());
        long every = config.reconcileInterval().toSeconds();
        if (every > 0) {
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "steadfast-reconcile");
                t.setDaemon(true);
                return t;
            });
            timer.scheduleWithFixedDelay(() -> reconcile(config.fill()), every, every, TimeUnit.SECONDS);
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

    /** Routes under {@code /api}: the inventory (always), and reconcile (with a peer). */
    public List<Route> routes() {
        List<Route> out = new ArrayList<>(new InventoryService(inventory).routes());
        out.add(Route.of("GET", "/reconcile", this::status));
        out.add(Route.of("POST", "/reconcile", this::runNow));
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
                    .append("steadfast_fallback_failures_total ").append(fallback.failures.get()).append('\n');
        }
        return b.toString();
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
