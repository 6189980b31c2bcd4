package dev.steadfast.server.sites;

import dev.steadfast.dicom.json.JsonOut;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one reconcile found and did: each difference between this archive and the peer, at the
 * finest level it was seen (an instance, or a whole deleted study), with what was done about it.
 * UIDs only, no patient data, so the report can go to logs and {@code /api/reconcile}.
 */
public final class ReconcileReport {
    public enum Kind {
        /** The peer holds it, this archive does not. */
        MISSING_HERE,
        /** This archive holds it, the peer does not. */
        MISSING_AT_PEER,
        /** Both hold the SOP Instance UID with different data set bytes: reported, never overwritten. */
        CONTENT_DIFFERS,
        /** The peer deleted the study; this archive still held it. */
        DELETED_AT_PEER,
        /** This archive deleted the study; the peer still held it. */
        DELETED_HERE,
        /** A rejection note rejected the instance here (IOCM); the peer holds it: not copied back (the note travels). */
        REJECTED_HERE,
        /** A rejection note rejected the instance at the peer; this archive holds it: not sent. */
        REJECTED_AT_PEER
    }

    public enum Outcome { REPORTED, FILLED, DELETED, FAILED }

    /** One difference; {@code series}/{@code sop} are null for a whole study. */
    public record Difference(Kind kind, String study, String series, String sop, Outcome outcome, String detail) {
    }

    private final String peer;
    private final long startedAt;
    private long finishedAt;
    private long studiesHere;
    private long studiesAtPeer;
    private String error;
    private final List<Difference> differences = new ArrayList<>();

    ReconcileReport(String peer, long startedAt) {
        this.peer = peer;
        this.startedAt = startedAt;
    }

    synchronized void add(Difference d) {
        differences.add(d);
    }

    synchronized void finish(long at, long here, long atPeer, String error) {
        this.finishedAt = at;
        this.studiesHere = here;
        this.studiesAtPeer = atPeer;
        this.error = error;
    }

    public synchronized List<Difference> differences() {
        return List.copyOf(differences);
    }

    /** Null when the run completed; else why it stopped (the peer unreachable, ...). */
    public synchronized String error() {
        return error;
    }

    public long startedAt() {
        return startedAt;
    }

    public synchronized long finishedAt() {
        return finishedAt;
    }

    public synchronized long count(Outcome o) {
        return differences.stream().filter(d -> d.outcome() == o).count();
    }

    /** Whether both sides now agree: the run completed and every difference was filled or deleted. */
    public synchronized boolean inSync() {
        return error == null && differences.stream().allMatch(d -> d.outcome() == Outcome.FILLED || d.outcome() == Outcome.DELETED);
    }

    /** For people: a summary line, then one line per study, kind and outcome. */
    public synchronized String render() {
        StringBuilder b = new StringBuilder();
        b.append("reconcile with ").append(peer).append(": ").append(studiesHere).append(" studies here, ")
                .append(studiesAtPeer).append(" at the peer; ").append(differences.size()).append(" differences (")
                .append(count(Outcome.FILLED)).append(" filled, ").append(count(Outcome.DELETED)).append(" deleted, ")
                .append(count(Outcome.REPORTED)).append(" reported, ").append(count(Outcome.FAILED)).append(" failed)\n");
        Map<String, List<Difference>> groups = new LinkedHashMap<>();
        for (Difference d : differences) {
            groups.computeIfAbsent(d.study() + "\t" + d.kind() + "\t" + d.outcome(), k -> new ArrayList<>()).add(d);
        }
        groups.forEach((k, ds) -> {
            Difference d = ds.get(0);
            b.append("  ").append(d.kind()).append(" study ").append(d.study());
            if (d.sop() != null) {
                b.append(": ").append(ds.size()).append(ds.size() == 1 ? " instance" : " instances");
            }
            b.append(" -> ").append(d.outcome());
            ds.stream().map(Difference::detail).filter(x -> x != null).distinct().limit(3).forEach(x -> b.append("; ").append(x));
            b.append('\n');
        });
        if (error != null) {
            b.append("stopped: ").append(error).append('\n');
        }
        return b.toString();
    }

    public synchronized String json() {
        StringWriter w = new StringWriter();
        try {
            JsonOut j = new JsonOut(w, false).beginObject().field("peer", peer)
                    .field("startedAt", Instant.ofEpochMilli(startedAt).toString())
                    .field("finishedAt", finishedAt == 0 ? null : Instant.ofEpochMilli(finishedAt).toString())
                    .field("studiesHere", studiesHere).field("studiesAtPeer", studiesAtPeer)
                    .field("differences", (long) differences.size())
                    .field("filled", count(Outcome.FILLED)).field("deleted", count(Outcome.DELETED))
                    .field("reported", count(Outcome.REPORTED)).field("failed", count(Outcome.FAILED))
                    .field("inSync", inSync()).field("error", error)
                    .key("items").beginArray();
            for (Difference d : differences) {
                j.beginObject().field("kind", d.kind().name()).field("studyInstanceUID", d.study())
                        .field("seriesInstanceUID", d.series()).field("sopInstanceUID", d.sop())
                        .field("outcome", d.outcome().name()).field("detail", d.detail()).endObject();
            }
            j.endArray().endObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }
}
