package dev.steadfast.archive.workflow;

import dev.steadfast.archive.query.DatasetMatcher;
import dev.steadfast.archive.query.QueryEngine;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Sequence;
import dev.steadfast.dicom.Tag;

import java.util.List;
import java.util.function.Consumer;

/**
 * The Modality Worklist information model (PS3.4 Annex K) on the scheduled steps of the orders:
 * the candidates are narrowed in SQL on the keys a modality always sends (its station AE title,
 * modality, the start date or date range, the patient ID), then every key, including those inside
 * the Scheduled Procedure Step Sequence, is matched on the stored item (C.2.2.2, sequence matching).
 */
public final class Worklist {
    private final Orders orders;
    private final boolean foldPersonNames;
    private final QueryEngine engine;

    /** @param engine whose bounded pool reads and matches (the same as C-FIND's), under its time limit */
    public Worklist(Orders orders, boolean foldPersonNames, QueryEngine engine) {
        this.orders = orders;
        this.foldPersonNames = foldPersonNames;
        this.engine = engine;
    }

    /**
     * Answers {@code keys} with each matching item, in scheduled start order.
     *
     * @throws dev.steadfast.archive.query.InvalidQueryException for a key that cannot be matched as given
     */
    public int find(Dataset keys, Consumer<Dataset> answers) {
        DatasetMatcher matcher = DatasetMatcher.of(keys, foldPersonNames);
        Dataset sps = null;
        Sequence seq = keys.getSequence(Tag.ScheduledProcedureStepSequence);
        if (seq != null && !seq.isEmpty()) {
            sps = seq.get(0);
        }
        String[] dates = sps == null ? null : dateRange(sps.getString(Tag.ScheduledProcedureStepStartDate));
        String station = sps == null ? null : exact(sps.getString(Tag.ScheduledStationAETitle));
        String modality = sps == null ? null : exact(sps.getString(Tag.Modality));
        List<Dataset> matches = engine.bounded(() -> {
            List<Dataset> out = new java.util.ArrayList<>();
            for (Dataset item : orders.candidates(station, modality, exact(keys.getString(Tag.PatientID)),
                    dates == null ? null : dates[0], dates == null ? null : dates[1])) {
                if (matcher.matches(item)) {
                    out.add(matcher.answer(item));
                }
            }
            return out;
        });
        matches.forEach(answers); // sent outside the pool: a slow requestor holds no pool thread
        return matches.size();
    }

    /** A single value the SQL side may compare for equality, or null (universal, wildcard, several values). */
    private static String exact(String v) {
        if (v == null) {
            return null;
        }
        String s = v.strip();
        return s.isEmpty() || s.contains("*") || s.contains("?") || s.contains("\\") ? null : s;
    }

    /** {from, to} (either may be null) for a date or date range in YYYYMMDD form, else null. */
    private static String[] dateRange(String v) {
        String s = exact(v);
        if (s == null) {
            return null;
        }
        int dash = s.indexOf('-');
        String from = dash < 0 ? s : s.substring(0, dash).strip();
        String to = dash < 0 ? s : s.substring(dash + 1).strip();
        from = from.matches("\\d{8}") ? from : null;
        to = to.matches("\\d{8}") ? to : null;
        return from == null && to == null ? null : new String[] {from, to};
    }
}
