package dev.steadfast.archive.admin;

import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.index.StudySummaryRepository;
import dev.steadfast.archive.index.Tx;
import dev.steadfast.archive.query.InformationModel;
import dev.steadfast.archive.query.QueryEngine;
import dev.steadfast.archive.query.QueryLevel;
import dev.steadfast.archive.query.QueryRequest;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.VR;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Studies as an administrator sees them: matched by the archive's {@link QueryEngine} (the same
 * rules as C-FIND and QIDO-RS), then summed up from the index (series, instances, bytes, when
 * received), sorted and paged. With filters, sorting happens after matching, in memory; without
 * any (browsing the newest studies), the database sorts and pages.
 */
public final class StudyCatalog {
    private static final int CHUNK = 500;

    private final Index index;
    private final QueryEngine query;

    public StudyCatalog(Index index, QueryEngine query) {
        this.index = index;
        this.query = query;
    }

    public enum Sort { STUDY_DATE, RECEIVED }

    /**
     * One study.
     *
     * @param firstReceived epoch ms of its first instance's arrival
     * @param lastReceived  epoch ms of its latest instance's arrival (what {@link Sort#RECEIVED} sorts by)
     */
    public record StudySummary(String studyUid, String date, String time, String description, String accessionNumber,
                               List<String> modalities, int series, int instances, long bytes, long firstReceived,
                               long lastReceived) {
    }

    public record SeriesSummary(String seriesUid, Integer number, String modality, String description, String bodyPart,
                                int instances, long bytes, long lastReceived) {
    }

    public record StudyDetails(StudySummary study, List<SeriesSummary> series) {
    }

    /** One page of matches and how many matched in all. */
    public record Page(int total, List<StudySummary> studies) {
    }

    /**
     * @param filters matching keys at study level or above (PatientID, StudyDate range,
     *                ModalitiesInStudy, AccessionNumber, ...); no return keys needed
     */
    public Page list(Dataset filters, Sort sort, boolean descending, int offset, int limit) {
        if (filters.isEmpty()) {
            return index.read(tx -> everything(tx, sort, descending, offset, limit));
        }
        Dataset keys = new Dataset();
        for (var e : filters) {
            keys.put(e);
        }
        if (keys.get(Tag.StudyInstanceUID) == null) {
            keys.setNull(Tag.StudyInstanceUID, VR.UI);
        }
        List<String> uids = new ArrayList<>();
        query.query(QueryRequest.of(InformationModel.STUDY_ROOT, QueryLevel.STUDY, keys),
                ds -> uids.add(ds.getString(Tag.StudyInstanceUID)));
        List<StudySummary> all = new ArrayList<>(uids.size());
        for (int i = 0; i < uids.size(); i += CHUNK) {
            List<String> chunk = uids.subList(i, Math.min(uids.size(), i + CHUNK));
            all.addAll(index.read(tx -> summaries(tx, chunk)));
        }
        Comparator<StudySummary> order = switch (sort) {
            case STUDY_DATE -> Comparator.comparing((StudySummary s) -> s.date() == null ? "" : s.date())
                    .thenComparing(s -> s.time() == null ? "" : s.time());
            case RECEIVED -> Comparator.comparingLong(StudySummary::lastReceived);
        };
        order = order.thenComparing(StudySummary::studyUid);
        all.sort(descending ? order.reversed() : order);
        int from = Math.min(offset, all.size());
        int to = limit <= 0 ? all.size() : (int) Math.min(all.size(), (long) from + limit);
        return new Page(all.size(), List.copyOf(all.subList(from, to)));
    }

    public Optional<StudyDetails> study(String studyUid) {
        return index.read(tx -> {
            List<StudySummary> s = summaries(tx, List.of(studyUid));
            if (s.isEmpty()) {
                return Optional.empty();
            }
            List<SeriesSummary> series = new ArrayList<>();
            for (StudySummaryRepository.SeriesRow r : tx.studySummaries().seriesOf(studyUid)) {
                series.add(new SeriesSummary(r.seriesUid(), r.number(), r.modality(), r.description(), r.bodyPart(),
                        r.instances(), r.bytes(), r.lastReceived()));
            }
            return Optional.of(new StudyDetails(s.get(0), List.copyOf(series)));
        });
    }

    /** Every study, sorted and paged by the database, in the same order the in-memory sort gives. */
    private static Page everything(Tx tx, Sort sort, boolean descending, int offset, int limit) throws SQLException {
        StudySummaryRepository.Order order = switch (sort) {
            case STUDY_DATE -> StudySummaryRepository.Order.STUDY_DATE;
            case RECEIVED -> StudySummaryRepository.Order.RECEIVED;
        };
        List<StudySummary> page = new ArrayList<>();
        for (StudySummaryRepository.StudyRow r : tx.studySummaries().page(order, descending, offset, limit)) {
            page.add(summary(r));
        }
        return new Page(tx.studySummaries().count(), List.copyOf(page));
    }

    private static StudySummary summary(StudySummaryRepository.StudyRow r) {
        String m = r.modalities();
        return new StudySummary(r.studyUid(), r.date(), r.time(), r.description(), r.accessionNumber(),
                m == null ? List.of() : List.of(m.split("\\\\")), r.series(), r.instances(), r.bytes(),
                r.firstReceived(), r.lastReceived());
    }

    private static List<StudySummary> summaries(Tx tx, List<String> uids) throws SQLException {
        List<StudySummary> out = new ArrayList<>();
        for (StudySummaryRepository.StudyRow r : tx.studySummaries().of(uids)) {
            out.add(summary(r));
        }
        return out;
    }
}
