package dev.steadfast.archive.index;

import dev.steadfast.archive.config.IndexConfig;
import dev.steadfast.archive.index.StudySummaryRepository.Order;
import dev.steadfast.archive.index.StudySummaryRepository.StudyRow;
import dev.steadfast.archive.ingest.IndexWriter;
import dev.steadfast.archive.ingest.Metadata;
import dev.steadfast.archive.testing.EmbeddedPostgres;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.VR;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 19, 2 million instances: the admin study list (GET /api/studies) summed every instance of the
 * index to show one page, so each page view read the whole instance table. It now chooses the page
 * first (each series' latest arrival from an index) and sums up only the page's studies. Asserted:
 * the pages, concatenated, are the whole list in the documented order, both sorts and directions, on
 * SQLite and PostgreSQL; and on SQLite the page statement reads instances only through the covering
 * index (series_fk, received_at, size), never their rows, and so does the statistics' sum of sizes.
 */
class Issue19StudyListTest {
    @TempDir
    Path tmp;

    @Test
    void sqlitePagesAreTheWholeListInOrderAndReadNoInstanceRow() throws Exception {
        try (Index index = Index.open(IndexConfig.sqlite(tmp.resolve("index.db")))) {
            Map<String, long[]> studies = fill(index);
            checkPages(index, studies);
            String plan = index.read(tx -> {
                StringBuilder sb = new StringBuilder();
                try (Statement s = tx.connection().createStatement();
                     ResultSet rs = s.executeQuery("EXPLAIN QUERY PLAN " + StudySummaryRepository.pageSql(Order.RECEIVED, " DESC")
                             .replace("?", "10"))) {
                    while (rs.next()) {
                        sb.append(rs.getString("detail")).append('\n');
                    }
                }
                return sb.toString();
            });
            assertThat(plan).as(plan).contains("SEARCH l USING COVERING INDEX instance_series_received_idx (series_fk=?)")
                    .doesNotContainPattern("SCAN (l|i)\\b").doesNotContain("USING INDEX instance_series_idx");
            // the statistics' stored bytes: summed from the index, not from every instance row
            String sum = index.read(tx -> {
                try (Statement s = tx.connection().createStatement();
                     ResultSet rs = s.executeQuery("EXPLAIN QUERY PLAN SELECT COALESCE(SUM(size), 0) FROM instance")) {
                    rs.next();
                    return rs.getString("detail");
                }
            });
            assertThat(sum).isEqualTo("SCAN instance USING COVERING INDEX instance_series_received_idx");
            long bytes = index.read(tx -> tx.instances().totalBytes());
            assertThat(bytes).isEqualTo(100L * studies.values().stream()
                    .mapToLong(v -> v[2]).sum());
        }
    }

    @Test
    void postgresPagesAreTheWholeListInOrder() throws Exception {
        try (Index index = Index.open(EmbeddedPostgres.freshDatabase())) {
            checkPages(index, fill(index));
        }
    }

    /** Every page of 3 for each sort and direction, against the whole list and against the order computed here. */
    private static void checkPages(Index index, Map<String, long[]> studies) {
        for (Order order : Order.values()) {
            for (boolean desc : new boolean[] {true, false}) {
                List<String> all = uids(index.read(tx -> tx.studySummaries().page(order, desc, 0, 0)));
                List<String> paged = new ArrayList<>();
                for (int offset = 0; offset < studies.size() + 3; offset += 3) {
                    int o = offset;
                    List<StudyRow> page = index.read(tx -> tx.studySummaries().page(order, desc, o, 3));
                    assertThat(page.size()).isLessThanOrEqualTo(3);
                    paged.addAll(uids(page));
                }
                Comparator<String> by = order == Order.RECEIVED
                        ? Comparator.<String>comparingLong(u -> studies.get(u)[0]).thenComparing(u -> u)
                        : Comparator.<String>comparingLong(u -> studies.get(u)[1]).thenComparing(u -> u);
                List<String> expected = studies.keySet().stream().sorted(desc ? by.reversed() : by).toList();
                assertThat(paged).as(order + (desc ? " desc" : " asc")).isEqualTo(all).isEqualTo(expected);
            }
        }
        StudyRow first = index.read(tx -> tx.studySummaries().page(Order.RECEIVED, true, 0, 1)).get(0);
        assertThat(first.lastReceived()).isEqualTo(studies.get(first.studyUid())[0]);
        assertThat(first.instances()).isEqualTo((int) studies.get(first.studyUid())[2]);
    }

    /**
     * Seven studies of 1-3 series through the ingest path's index writer, arrivals interleaved so that the
     * newest study by arrival is neither the newest created nor the newest by date; two share a date.
     * Returns per study {latest arrival, study date as a number, instances}.
     */
    private static Map<String, long[]> fill(Index index) {
        Map<String, long[]> out = new HashMap<>();
        long[] received = {500, 100, 900, 300, 700, 200, 800, 400, 600, 150, 950, 50, 350};
        String[] dates = {"20240105", "20230301", "20240105", "20221212", "20250101", "20200606", "20210707"};
        int k = 0;
        for (int s = 0; s < dates.length; s++) {
            String study = "1.2.826.0.1.3680043.10.1019." + s;
            long latest = 0;
            int instances = 0;
            for (int se = 1; se <= 1 + s % 3; se++) {
                for (int n = 1; n <= 2; n++) {
                    long at = received[k++ % received.length] + k; // distinct arrivals
                    latest = Math.max(latest, at);
                    instances++;
                    Dataset ds = new Dataset();
                    String sop = study + "." + se + "." + n;
                    ds.setString(Tag.SOPClassUID, VR.UI, UID.CTImageStorage);
                    ds.setString(Tag.SOPInstanceUID, VR.UI, sop);
                    ds.setString(Tag.StudyInstanceUID, VR.UI, study);
                    ds.setString(Tag.SeriesInstanceUID, VR.UI, study + "." + se);
                    ds.setString(Tag.PatientID, VR.LO, "P" + (s % 3));
                    ds.setString(Tag.StudyDate, VR.DA, dates[s]);
                    ds.setString(Tag.StudyTime, VR.TM, "101010");
                    ds.setString(Tag.Modality, VR.CS, "CT");
                    ds.setString(Tag.InstanceNumber, VR.IS, String.valueOf(n));
                    InstanceRecord r = new InstanceRecord(sop, UID.CTImageStorage, n, UID.ExplicitVRLittleEndian,
                            "k/" + sop, 100, "a".repeat(64), "b".repeat(64), at, "TEST", encode(ds), true);
                    index.write(tx -> IndexWriter.record(tx, ds, r));
                }
            }
            out.put(study, new long[] {latest, Long.parseLong(dates[s]), instances});
        }
        return out;
    }

    private static byte[] encode(Dataset ds) {
        try {
            return Metadata.encode(ds);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> uids(List<StudyRow> rows) {
        return rows.stream().map(StudyRow::studyUid).toList();
    }
}
