package dev.steadfast.server.sites;

import dev.steadfast.archive.index.IndexException;
import dev.steadfast.archive.query.QueryRequest;
import dev.steadfast.archive.query.RemoteQuery;
import dev.steadfast.archive.sites.Inventory;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Element;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.VR;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * C-FIND and QIDO-RS at the edge ask the peer too ({@code sites.query-peer}, issue 17): the same
 * keys as a QIDO-RS search at the peer, on a virtual thread started before the local query; what
 * the peer has not answered within {@code sites.query-peer-timeout-seconds} is left out (the local
 * answers come regardless), and a study deleted here is never listed from the peer's copy.
 */
final class PeerQuery implements RemoteQuery {
    private static final Logger LOG = LoggerFactory.getLogger(PeerQuery.class);

    private final PeerClient peer;
    private final Inventory here;
    private final Duration timeout;
    final AtomicLong answered = new AtomicLong();
    final AtomicLong failures = new AtomicLong();

    PeerQuery(PeerClient peer, Inventory here, Duration timeout) {
        this.peer = peer;
        this.here = here;
        this.timeout = timeout;
    }

    @Override
    public Supplier<List<Dataset>> ask(QueryRequest request) {
        String path = path(request);
        long start = System.nanoTime();
        CompletableFuture<List<Dataset>> f = new CompletableFuture<>();
        Thread.ofVirtual().name("steadfast-query-peer").start(() -> {
            try {
                f.complete(peer.qido(path));
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return () -> {
            try {
                long left = timeout.toNanos() - (System.nanoTime() - start);
                List<Dataset> all = f.get(Math.max(0, left), TimeUnit.NANOSECONDS);
                answered.incrementAndGet();
                return all.stream().filter(this::notDeletedHere).toList();
            } catch (TimeoutException e) {
                f.cancel(true);
                return failed("no answer within " + timeout.toSeconds() + " s (sites.query-peer-timeout-seconds)");
            } catch (ExecutionException e) {
                return failed(e.getCause().getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return List.of();
            }
        };
    }

    private List<Dataset> failed(String why) {
        failures.incrementAndGet();
        LOG.info("query: the peer site {} is not listed: {}", peer.base(), why);
        return List.of();
    }

    private boolean notDeletedHere(Dataset d) {
        String study = d.getString(Tag.StudyInstanceUID);
        try {
            return study == null || here.deletedAt(study.strip()) < 0;
        } catch (IndexException e) {
            return false; // tombstones cannot be checked: list nothing of the peer's rather than a deleted study
        }
    }

    /** Longest list of return keys sent one by one; more (QIDO-RS includefield=all asks for thousands) go as includefield=all. */
    private static final int MAX_INCLUDEFIELDS = 200;

    /** The QIDO-RS search for the request's keys: matching keys as parameters, return keys as includefield. */
    static String path(QueryRequest request) {
        int returnKeys = 0;
        for (Element e : request.keys()) {
            if (e.isEmpty() || e.vr() == VR.SQ) {
                returnKeys++;
            }
        }
        boolean all = returnKeys > MAX_INCLUDEFIELDS;
        StringBuilder b = new StringBuilder(switch (request.level()) {
            case SERIES -> "/series";
            case IMAGE -> "/instances";
            default -> "/studies";
        });
        char sep = '?';
        for (Element e : request.keys()) {
            if (e.tag() == Tag.SpecificCharacterSet || e.tag() == Tag.QueryRetrieveLevel) {
                continue;
            }
            String key = String.format("%08X", e.tag());
            if (e.isEmpty() || e.vr() == VR.SQ) {
                if (all) {
                    continue;
                }
                b.append(sep).append("includefield=").append(key);
            } else {
                b.append(sep).append(key).append('=')
                        .append(URLEncoder.encode(String.join("\\", request.keys().getStrings(e.tag())), StandardCharsets.UTF_8));
            }
            sep = '&';
        }
        if (all) {
            b.append(sep).append("includefield=all");
            sep = '&';
        }
        if (request.limit() > 0) {
            b.append(sep).append("limit=").append(request.limit());
        }
        return b.toString();
    }
}
