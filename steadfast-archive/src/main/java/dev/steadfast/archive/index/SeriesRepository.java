package dev.steadfast.archive.index;

import java.sql.Connection;
import java.sql.SQLException;

/** The series level. */
public final class SeriesRepository {
    private final Connection c;
    private final Statements.Cache st; // the ingest path's statements, prepared once per connection

    SeriesRepository(Connection c, Statements.Cache st) {
        this.c = c;
        this.st = st;
    }

    /**
     * The id of the series, created or updated from {@code s} in {@code studyId}; values the instance
     * lacks (null) keep what is indexed.
     *
     * @param sopUid the instance being recorded: a series indexed under another study follows it only
     *               when this instance is all it holds (its one instance re-sent with a corrected Study
     *               Instance UID, policy replace)
     * @throws SeriesInOtherStudyException when the series holds other instances under another study
     */
    public long upsert(long studyId, SeriesRecord s, String sopUid) throws SQLException {
        return upsertSeries(studyId, s, sopUid).id();
    }

    /**
     * The series row after {@link #upsert}, and whether it was inserted or changed: when neither, the
     * study's series are as they were, so its ModalitiesInStudy needs no recomputing (issue 19).
     */
    public record Upserted(long id, boolean changed) {}

    /** As {@link #upsert}, telling whether the row was inserted or changed. */
    public Upserted upsertSeries(long studyId, SeriesRecord s, String sopUid) throws SQLException {
        long id = -1;
        long indexedStudy = -1;
        java.sql.PreparedStatement find = st.prepare("SELECT id, study_fk FROM series WHERE series_uid = ?");
        Sql.bind(find, s.seriesUid());
        try (java.sql.ResultSet rs = find.executeQuery()) {
            if (rs.next()) {
                id = rs.getLong(1);
                indexedStudy = rs.getLong(2);
            }
        }
        if (id >= 0 && indexedStudy != studyId
                && Sql.queryId(st, "SELECT 1 FROM instance WHERE series_fk = ? AND sop_uid <> ? LIMIT 1", id, sopUid) > 0) {
            throw new SeriesInOtherStudyException(s.seriesUid(),
                    Sql.queryUid(c, "SELECT study_uid FROM study WHERE id = ?", indexedStudy));
        }
        if (id < 0) {
            return new Upserted(Sql.insertReturningId(st, "INSERT INTO series (study_fk, modality, series_number, series_description,"
                    + " body_part, series_uid) VALUES (?, ?, ?, ?, ?, ?)",
                    studyId, s.modality(), s.seriesNumber(), s.description(), s.bodyPart(), s.seriesUid()), true);
        }
        // As for studies: an attribute the instance lacks keeps the indexed value (latest non-empty wins).
        // Written only when a value changes (issue 19): the instances of a series mostly repeat it, and a
        // rewrite of an unchanged row still costs a page in SQLite's WAL and a dead row version in PostgreSQL.
        int changed = Sql.update(st, "UPDATE series SET study_fk = ?, modality = COALESCE(?, modality),"
                + " series_number = COALESCE(?, series_number), series_description = COALESCE(?, series_description),"
                + " body_part = COALESCE(?, body_part) WHERE id = ? AND (study_fk IS DISTINCT FROM ?"
                + " OR modality IS DISTINCT FROM COALESCE(?, modality) OR series_number IS DISTINCT FROM COALESCE(?, series_number)"
                + " OR series_description IS DISTINCT FROM COALESCE(?, series_description)"
                + " OR body_part IS DISTINCT FROM COALESCE(?, body_part))",
                studyId, s.modality(), s.seriesNumber(), s.description(), s.bodyPart(), id,
                studyId, s.modality(), s.seriesNumber(), s.description(), s.bodyPart());
        return new Upserted(id, changed > 0);
    }

    /** The study a series belongs to, or -1. */
    public long studyOf(long seriesId) throws SQLException {
        return Sql.queryId(st, "SELECT study_fk FROM series WHERE id = ?", seriesId);
    }

    public long count() throws SQLException {
        return Sql.queryId(st, "SELECT COUNT(*) FROM series");
    }

    /** Removes series left without instances; returns how many. */
    public int deleteOrphans() throws SQLException {
        return Sql.update(st, "DELETE FROM series WHERE NOT EXISTS (SELECT 1 FROM instance i WHERE i.series_fk = series.id)");
    }
}
