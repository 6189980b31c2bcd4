package dev.steadfast.archive.iocm;

import dev.steadfast.archive.config.IndexConfig;
import dev.steadfast.archive.config.IngestConfig;
import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.ingest.IngestException;
import dev.steadfast.archive.ingest.IngestService;
import dev.steadfast.archive.ingest.StoreResult;
import dev.steadfast.archive.storage.FileSystemStorage;
import dev.steadfast.archive.testing.Synthetic;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.VR;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 19: ingest reads a new instance's rejection (issue 18, IOCM) in its claim's own transaction
 * (on PostgreSQL on the claim's connection, after its lock) with a cached statement, instead of a
 * second read transaction per instance. What IOCM promises must hold on both dialects, also when the
 * statement is re-used: a rejected instance sent again is refused, every time; one a note named before
 * it arrived is kept hidden; others are stored. Run on SQLite and PostgreSQL by the subclasses.
 */
public abstract class Issue19RejectionInClaimContract {
    private Path dir;
    private Index index;
    private IngestService ingest;
    private Rejections rejections;

    protected abstract IndexConfig indexConfig(Path dir);

    @BeforeEach
    void open() throws Exception {
        dir = Files.createTempDirectory("steadfast-rejection-claim");
        index = Index.open(indexConfig(dir));
        FileSystemStorage storage = new FileSystemStorage(dir.resolve("storage"));
        ingest = new IngestService(storage, index, IngestConfig.DEFAULT);
        rejections = new Rejections(index, storage, Clock.systemUTC());
    }

    @AfterEach
    void close() throws Exception {
        index.close();
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void rejectedInstancesStayRefusedOrHiddenAndOthersAreStored() throws Exception {
        String study = Synthetic.uid();
        String series = Synthetic.uid();
        Dataset held = Synthetic.instance("P19", "Doe^Jane", study, series, Synthetic.uid());
        Dataset early = Synthetic.instance("P19", "Doe^Jane", study, series, Synthetic.uid()); // named before it arrives
        assertThat(store(held).outcome()).isEqualTo(StoreResult.Outcome.STORED);
        store(RejectionNotes.quality(study, held, early));

        for (int i = 0; i < 3; i++) { // the cached statement, re-used
            assertThatThrownBy(() -> store(held)).isInstanceOfSatisfying(IngestException.class,
                    e -> assertThat(e.kind()).isEqualTo(IngestException.Kind.INSTANCE_REJECTED));
            Dataset other = Synthetic.instance("P19", "Doe^Jane", study, series, Synthetic.uid());
            assertThat(store(other).outcome()).isEqualTo(StoreResult.Outcome.STORED);
            assertThat(indexed(other)).isTrue();
        }

        store(early); // accepted, recorded hidden: the note named it
        String earlyUid = early.getString(Tag.SOPInstanceUID);
        assertThat(indexed(early)).isFalse();
        assertThat(rejections.of(earlyUid)).get().satisfies(r -> assertThat(r.held()).isTrue());
        assertThatThrownBy(() -> store(early)).isInstanceOfSatisfying(IngestException.class,
                e -> assertThat(e.kind()).isEqualTo(IngestException.Kind.INSTANCE_REJECTED));
        assertThat(indexed(held)).isFalse();
    }

    private boolean indexed(Dataset ds) {
        String uid = ds.getString(Tag.SOPInstanceUID);
        java.util.Optional<?> row = index.read(tx -> tx.instances().find(uid));
        return row.isPresent();
    }

    private StoreResult store(Dataset ds) throws Exception {
        return ingest.store(new ByteArrayInputStream(Synthetic.encode(ds)), UID.ExplicitVRLittleEndian, "MOD");
    }
}
