package dev.steadfast.archive.reindex;

import dev.steadfast.archive.config.IndexConfig;
import dev.steadfast.archive.config.IngestConfig;
import dev.steadfast.archive.config.QueryConfig;
import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.ingest.IngestException;
import dev.steadfast.archive.ingest.IngestService;
import dev.steadfast.archive.query.QueryEngine;
import dev.steadfast.archive.scrub.IndexChecksums;
import dev.steadfast.archive.scrub.Pace;
import dev.steadfast.archive.scrub.Progress;
import dev.steadfast.archive.scrub.ScrubReport;
import dev.steadfast.archive.scrub.Scrubber;
import dev.steadfast.archive.storage.FileSystemStorage;
import dev.steadfast.archive.storage.StorageKey;
import dev.steadfast.archive.storage.replica.ReplicaOptions;
import dev.steadfast.archive.storage.replica.ReplicatedStorage;
import dev.steadfast.archive.storage.replica.Target;
import dev.steadfast.archive.storage.replica.WritePolicy;
import dev.steadfast.archive.testing.Synthetic;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.VR;
import dev.steadfast.testing.Corpus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 19: reindex reads headers and the checksum recorded at ingest, not every byte; what it did
 * not read stays pending ("unverified since reindex") until a scrub has read it, and a copy damaged
 * after ingest is still indexed, stays pending and is caught by that scrub.
 */
class Issue19HeaderOnlyReindexTest {
    @TempDir
    Path dir;

    @Test
    void aHeaderOnlyReindexGivesTheSameAnswersAndTheScrubVerifiesEveryInstance() throws Exception {
        FileSystemStorage fs = new FileSystemStorage(dir.resolve("storage"));
        List<List<String>> before;
        List<String> checksumsBefore;
        int stored = 0;
        try (Index index = Index.open(IndexConfig.sqlite(dir.resolve("index.db")))) {
            IngestService ingest = new IngestService(fs, index, IngestConfig.DEFAULT);
            stored += storeSynthetic(ingest);
            for (Corpus.Entry e : Corpus.wellFormed()) { // real files from many sources, when the corpus is here
                try {
                    ingest.storePart10(new ByteArrayInputStream(Files.readAllBytes(e.path())), "CORPUS");
                    stored++;
                } catch (IngestException refused) {
                    // refused at ingest (not ours to reindex)
                }
            }
            before = ReindexTest.answers(new QueryEngine(index, QueryConfig.DEFAULT));
            checksumsBefore = checksums(index);
        }
        stored = checksumsBefore.size(); // corpus files may share a SOP Instance UID: one row each
        Files.delete(dir.resolve("index.db"));

        try (Index fresh = Index.open(IndexConfig.sqlite(dir.resolve("rebuilt.db")))) {
            ReindexReport r = new Reindexer(fs, fresh, 2, 16, true).run(Progress.NONE);
            assertThat(r.indexed()).isEqualTo(stored);
            assertThat(r.unverified()).isEqualTo(stored);
            assertThat(r.damaged()).isEmpty();
            assertThat(r.unreadable()).isEmpty();
            assertThat(r.render()).contains("of which unverified: " + stored);
            assertThat(ReindexTest.answers(new QueryEngine(fresh, QueryConfig.DEFAULT))).isEqualTo(before);
            assertThat(Unverified.count(fresh)).isEqualTo(stored);

            ScrubReport scrub = scrubber(fs, fresh).scrub(Progress.NONE);
            assertThat(scrub.unrepairable()).isEmpty();
            assertThat(pendingKeys(fresh)).isEmpty();
            // Verified rows hold exactly what ingest recorded, data set checksums included.
            assertThat(checksums(fresh)).isEqualTo(checksumsBefore);
        }
    }

    @Test
    void aCopyDamagedAfterIngestIsIndexedPendingAndCaughtByTheScrub() throws Exception {
        FileSystemStorage fs = new FileSystemStorage(dir.resolve("storage"));
        String study = Synthetic.uid();
        String series = Synthetic.uid();
        String sop = Synthetic.uid();
        try (Index index = Index.open(IndexConfig.sqlite(dir.resolve("index.db")))) {
            IngestService ingest = new IngestService(fs, index, IngestConfig.DEFAULT);
            ingest.store(new ByteArrayInputStream(Synthetic.encode(Synthetic.instance("P", "A^B", study, series, sop))),
                    UID.ExplicitVRLittleEndian, "X");
            ingest.store(new ByteArrayInputStream(Synthetic.encode(Synthetic.instance("P", "A^B", study, series,
                    Synthetic.uid()))), UID.ExplicitVRLittleEndian, "X");
        }
        StorageKey damagedKey = StorageKey.of(study, series, sop);
        try (RandomAccessFile f = new RandomAccessFile(fs.pathOf(damagedKey).toFile(), "rw")) {
            f.seek(f.length() - 10); // in the pixel data: the header still reads
            f.write(0x55);
        }
        try (Index fresh = Index.open(IndexConfig.sqlite(dir.resolve("rebuilt.db")))) {
            ReindexReport r = new Reindexer(fs, fresh, 2, 16, true).run(Progress.NONE);
            assertThat(r.indexed()).isEqualTo(2);
            assertThat(r.damaged()).isEmpty(); // not read: the header cannot tell
            assertThat(Unverified.count(fresh)).isEqualTo(2);

            ScrubReport scrub = scrubber(fs, fresh).scrub(Progress.NONE);
            assertThat(scrub.unrepairable()).containsExactly(damagedKey.path());
            assertThat(Unverified.count(fresh)).isEqualTo(1); // the damaged one stays pending
            assertThat(pendingKeys(fresh)).containsExactly(damagedKey.path());
        }
    }

    /** The scrub as {@code steadfast verify} and serve build it: the index as the checksum authority. */
    private static Scrubber scrubber(FileSystemStorage fs, Index index) {
        ReplicatedStorage one = new ReplicatedStorage(List.of(Target.of("fs", fs)), WritePolicy.ALL, ReplicaOptions.DEFAULT);
        return new Scrubber(one, new IndexChecksums(index), new Pace(0, 0));
    }

    private static int storeSynthetic(IngestService ingest) throws Exception {
        int n = 0;
        for (int p = 0; p < 3; p++) {
            for (int st = 0; st < 2; st++) {
                String study = Synthetic.uid();
                for (int se = 0; se < 2; se++) {
                    String series = Synthetic.uid();
                    for (int i = 0; i < 4; i++) {
                        Dataset ds = Synthetic.instance("P" + p, "Patient^" + p, study, series, Synthetic.uid());
                        ds.setString(Tag.Modality, VR.CS, se == 0 ? "CT" : "SR");
                        ds.setString(Tag.SeriesNumber, VR.IS, Integer.toString(se + 1));
                        ds.setString(Tag.InstanceNumber, VR.IS, Integer.toString(i + 1));
                        ds.setString(Tag.StudyDate, VR.DA, "2024031" + st);
                        ingest.store(new ByteArrayInputStream(Synthetic.encode(ds)), UID.ExplicitVRLittleEndian, "AE" + p);
                        n++;
                    }
                }
            }
        }
        return n;
    }

    private static List<String> checksums(Index index) {
        return rows(index, "SELECT sop_uid || ' ' || storage_key || ' ' || size || ' ' || sha256 || ' ' || dataset_sha256"
                + " FROM instance ORDER BY sop_uid");
    }

    private static List<String> pendingKeys(Index index) {
        return rows(index, "SELECT storage_key FROM instance WHERE dataset_sha256 = '" + Unverified.MARK + "'");
    }

    private static List<String> rows(Index index, String sql) {
        return index.read(tx -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps = tx.connection().prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        });
    }
}
