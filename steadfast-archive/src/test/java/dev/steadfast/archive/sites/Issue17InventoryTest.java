package dev.steadfast.archive.sites;

import dev.steadfast.archive.config.IndexConfig;
import dev.steadfast.archive.config.IngestConfig;
import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.ingest.IngestService;
import dev.steadfast.archive.storage.FileSystemStorage;
import dev.steadfast.archive.testing.EmbeddedPostgres;
import dev.steadfast.archive.testing.Synthetic;
import dev.steadfast.dicom.UID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 17: a site on SQLite and a site on PostgreSQL holding the same instances give the same
 * inventory: every study exactly once through keyset paging (UIDs chosen so that a locale collation
 * and a binary one order them differently), the same counts, and digests that are the documented
 * SHA-256 over sorted "SOP UID SP data set SHA-256" lines, at study and series level.
 */
class Issue17InventoryTest {
    @TempDir
    Path dir;

    private static final String[] STUDIES = {"1.2.826.0.1.3.9", "1.2.826.0.1.3.10", "1.2.826.0.1.3", "1.2.826.0.1.3.1.1",
            "1.2.826.0.1.30", "2.25.1", "1.2.826.0.1.3.9.1"};

    private static void fill(Index index, FileSystemStorage storage) throws Exception {
        IngestService ingest = new IngestService(storage, index, IngestConfig.DEFAULT);
        for (int s = 0; s < STUDIES.length; s++) {
            for (int se = 0; se < 2; se++) {
                for (int i = 0; i < s % 3 + 1; i++) {
                    String sop = STUDIES[s] + "." + (se + 1) + "." + (i + 1) + "0"; // the same UIDs on both sites
                    ingest.store(new ByteArrayInputStream(Synthetic.encode(Synthetic.instance("P" + s, "Doe^P", STUDIES[s],
                            STUDIES[s] + "." + (se + 1), sop))), UID.ExplicitVRLittleEndian, "MOD");
                }
            }
        }
    }

    private static List<String> walk(Inventory inv) {
        List<String> out = new ArrayList<>();
        String after = null;
        for (List<Inventory.StudyDigest> page = inv.studies(null, 2); !page.isEmpty(); page = inv.studies(after, 2)) {
            for (Inventory.StudyDigest d : page) {
                out.add(d.studyUid() + " " + d.instances() + " " + d.digest());
                // the study digest is the documented one, computed here from the instances themselves
                TreeMap<String, String> lines = new TreeMap<>();
                for (Inventory.SeriesDigest s : inv.series(d.studyUid())) {
                    TreeMap<String, String> seriesLines = new TreeMap<>();
                    inv.instances(d.studyUid(), s.seriesUid()).forEach(e -> seriesLines.put(e.sopUid(), e.datasetSha256()));
                    assertThat(s.digest()).isEqualTo(Inventory.digest(seriesLines));
                    assertThat(s.instances()).isEqualTo(seriesLines.size());
                    lines.putAll(seriesLines);
                }
                assertThat(d.digest()).isEqualTo(Inventory.digest(lines));
            }
            after = page.get(page.size() - 1).studyUid();
        }
        return out;
    }

    @Test
    void aSqliteSiteAndAPostgresqlSiteHoldingTheSameInstancesGiveTheSameInventory() throws Exception {
        IndexConfig pg = EmbeddedPostgres.freshDatabase();
        try (Index sqlite = Index.open(IndexConfig.sqlite(dir.resolve("a.db")));
             Index postgres = Index.open(pg)) {
            fill(sqlite, new FileSystemStorage(dir.resolve("a")));
            fill(postgres, new FileSystemStorage(dir.resolve("b")));
            List<String> a = walk(new Inventory(sqlite));
            List<String> b = walk(new Inventory(postgres));
            assertThat(a).hasSize(STUDIES.length).doesNotHaveDuplicates();
            assertThat(b).containsExactlyInAnyOrderElementsOf(a);
        }
    }
}
