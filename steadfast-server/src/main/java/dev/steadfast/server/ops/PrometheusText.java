package dev.steadfast.server.ops;

import dev.steadfast.server.dimse.NodeMetrics;
import java.util.Locale;
import java.util.Map;

/**
 * The node's metrics in the Prometheus text exposition format (version 0.0.4), written by hand:
 * a few dozen counters, gauges and fixed-bucket histograms do not need a metrics library (none is in the approved dependency
 * list yet; see the commit). Names follow Prometheus conventions: {@code steadfast_} prefix,
 * {@code _total} counters, base units (bytes, seconds).
 */
public final class PrometheusText {
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final StringBuilder out = new StringBuilder();

    private PrometheusText() {
    }

    /** What {@code /metrics} answers: DIMSE counters from {@code m}, storage and index health from {@code health}. */
    public static String render(NodeMetrics m, HealthCheck.Report health) {
        return render(m, new WebMetrics(), health);
    }

    /** ... and DICOMweb requests from {@code web}. */
    public static String render(NodeMetrics m, WebMetrics web, HealthCheck.Report health) {
        PrometheusText t = new PrometheusText();
        t.family("steadfast_instances_received_total", "counter", "C-STORE requests received (stored + failed)");
        t.sample("steadfast_instances_received_total", "", m.instancesReceived() + m.instancesFailed());
        t.family("steadfast_instances_stored_total", "counter", "instances stored and acknowledged");
        t.sample("steadfast_instances_stored_total", "", m.instancesReceived());
        t.family("steadfast_instances_failed_total", "counter", "instances refused, by DIMSE status");
        for (Map.Entry<Integer, Long> e : m.storeFailures().entrySet()) {
            t.sample("steadfast_instances_failed_total", "status=\"" + String.format(Locale.ROOT, "%04X", e.getKey()) + "\"", e.getValue());
        }
        t.family("steadfast_received_bytes_total", "counter", "bytes of instances stored");
        t.sample("steadfast_received_bytes_total", "", m.bytesReceived());
        t.family("steadfast_associations_open", "gauge", "DICOM associations open now");
        t.sample("steadfast_associations_open", "", m.associationsOpen());
        t.family("steadfast_associations_total", "counter", "DICOM associations accepted");
        t.sample("steadfast_associations_total", "", m.associationsTotal());
        t.family("steadfast_dimse_operations_total", "counter", "DIMSE operations answered, by operation");
        m.operations().forEach((op, s) -> t.sample("steadfast_dimse_operations_total", "operation=\"" + op + "\"", s.count()));
        t.family("steadfast_dimse_operations_failed_total", "counter", "DIMSE operations answered with a failure, by operation");
        m.operations().forEach((op, s) -> t.sample("steadfast_dimse_operations_failed_total", "operation=\"" + op + "\"", s.failed()));
        t.family("steadfast_dimse_operation_seconds", "histogram", "time from request to final response, by operation");
        m.operations().forEach((op, s) -> t.histogram("steadfast_dimse_operation_seconds", "operation=\"" + op + "\"", s.latency()));
        t.family("steadfast_dicomweb_requests_total", "counter", "DICOMweb requests answered, by kind and HTTP status");
        web.requests().forEach((kind, byStatus) -> byStatus.forEach((status, n) ->
                t.sample("steadfast_dicomweb_requests_total", "kind=\"" + kind + "\",status=\"" + status + "\"", n)));
        t.family("steadfast_dicomweb_request_seconds", "histogram", "time from request to the end of the response, by kind");
        web.latency().forEach((kind, h) -> t.histogram("steadfast_dicomweb_request_seconds", "kind=\"" + kind + "\"", h));
        HealthCheck.TargetState first = health.targets().stream().filter(x -> x.totalBytes() >= 0).findFirst().orElse(null);
        if (first != null) {
            t.family("steadfast_storage_free_bytes", "gauge", "usable bytes left on the first filesystem target");
            t.sample("steadfast_storage_free_bytes", "", first.freeBytes());
            t.family("steadfast_storage_size_bytes", "gauge", "size of the first filesystem target");
            t.sample("steadfast_storage_size_bytes", "", first.totalBytes());
        }
        t.family("steadfast_storage_target_up", "gauge", "1 when the target's circuit is closed (it takes reads and writes), by target");
        health.targets().forEach(x -> t.sample("steadfast_storage_target_up", target(x), x.health().up() ? 1 : 0));
        t.family("steadfast_storage_target_circuit_open", "gauge", "1 when the target's circuit breaker is open or half-open, by target");
        health.targets().forEach(x -> t.sample("steadfast_storage_target_circuit_open", target(x), x.health().up() ? 0 : 1));
        t.family("steadfast_storage_target_consecutive_failures", "gauge", "failed operations in a row, by target");
        health.targets().forEach(x -> t.sample("steadfast_storage_target_consecutive_failures", target(x), x.health().consecutiveFailures()));
        t.family("steadfast_storage_target_pending_repairs", "gauge", "copies this target is known to lack or hold damaged, waiting for repair, by target");
        health.targets().forEach(x -> t.sample("steadfast_storage_target_pending_repairs", target(x), x.health().pendingRepairs()));
        t.family("steadfast_storage_target_damaged_copies", "gauge", "copies on this target a read found damaged, waiting for repair, by target");
        health.targets().forEach(x -> t.sample("steadfast_storage_target_damaged_copies", target(x), x.damagedCopies()));
        t.family("steadfast_storage_redundancy_full", "gauge", "1 when every target is up and no copy is known to be missing or damaged");
        t.sample("steadfast_storage_redundancy_full", "", health.fullRedundancy() ? 1 : 0);
        t.family("steadfast_storage_targets_required", "gauge", "copies the write policy requires");
        t.sample("steadfast_storage_targets_required", "", health.required());
        t.family("steadfast_index_up", "gauge", "1 when the index database answers");
        t.sample("steadfast_index_up", "", health.indexReachable() ? 1 : 0);
        t.family("steadfast_journal_backlog", "gauge", "acknowledged instances waiting in the ingest journal to be indexed");
        t.sample("steadfast_journal_backlog", "", health.journalBacklog());
        return t.out.toString();
    }

    private static String target(HealthCheck.TargetState t) {
        return "target=\"" + t.health().name().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** Cumulative {@code _bucket} lines (le ascending, then +Inf), {@code _sum} and {@code _count}. */
    private void histogram(String name, String labels, Histogram.Snapshot h) {
        for (int i = 0; i < Histogram.BOUNDS.length; i++) {
            sample(name + "_bucket", labels + ",le=\"" + Histogram.BOUNDS[i] + "\"", h.cumulative()[i]);
        }
        sample(name + "_bucket", labels + ",le=\"+Inf\"", h.count());
        sample(name + "_sum", labels, h.sumSeconds());
        sample(name + "_count", labels, h.count());
    }

    private void family(String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private void sample(String name, String labels, double value) {
        out.append(name);
        if (!labels.isEmpty()) {
            out.append('{').append(labels).append('}');
        }
        out.append(' ');
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            out.append((long) value);
        } else {
            out.append(value);
        }
        out.append('\n');
    }
}
