package dev.steadfast.archive.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steadfast.archive.config.IndexConfig;
import dev.steadfast.archive.config.IngestConfig;
import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.index.IndexEvents;
import dev.steadfast.archive.index.IndexException;
import dev.steadfast.archive.journal.IngestJournal;
import dev.steadfast.archive.index.InstanceRecord;
import dev.steadfast.archive.index.Tx;
import dev.steadfast.archive.ingest.IngestException;
import dev.steadfast.archive.ingest.IngestService;
import dev.steadfast.archive.storage.FileSystemStorage;
import dev.steadfast.archive.testing.Synthetic;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.VR;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 17: the forwarding queue in the index, the same on SQLite and PostgreSQL. Entries are
 * written in the instance's indexing transaction (all or nothing), claims are leases that expire,
 * an ordered queue never lets anything overtake its head, refusals end in a dead letter, and
 * nodes claiming at the same time never get the same entry. Times are passed in, never waited for.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class Issue17ForwardQueueContract {
    private static final long T0 = 1_000_000L;
    private static final long LEASE = 60_000L;

    private Path dir;
    private Index index;
    private IngestService ingest;

    protected abstract IndexConfig indexConfig(Path dir);

    @BeforeAll
    void open() throws Exception {
        dir = Files.createTempDirectory("steadfast-issue17");
        index = Index.open(indexConfig(dir)); // one database for the class: a fresh PostgreSQL one per test costs seconds
        ingest = new IngestService(new FileSystemStorage(dir.resolve("storage")), index, IngestConfig.DEFAULT);
    }

    /** Empty queues, both destinations registered afresh, no routing. */
    @BeforeEach
    void emptyQueues() {
        index.events(IndexEvents.NONE);
        index.write(tx -> {
            try (var st = tx.connection().createStatement()) {
                st.executeUpdate("DELETE FROM forward_queue");
                st.executeUpdate("DELETE FROM forward_destination");
            }
            new ForwardQueue(tx).register("central");
            new ForwardQueue(tx).register("site-b");
            return null;
        });
    }

    @AfterAll
    void close() {
        index.close();
    }

    private String store(String study, String modality, String callingAe) throws Exception {
        String sop = Synthetic.uid();
        Dataset ds = Synthetic.instance("P17", "Doe^Jane", study, Synthetic.uid(), sop);
        ds.setString(Tag.Modality, VR.CS, modality);
        ingest.store(new ByteArrayInputStream(Synthetic.encode(ds)), UID.ExplicitVRLittleEndian, callingAe);
        return sop;
    }

    private List<ForwardEntry> waiting(String destination) {
        return index.read(tx -> new ForwardQueue(tx).entries(destination, ForwardQueue.QUEUED, 1000));
    }

    @Test
    void rulesQueueWhatMatchesInTheIndexingTransaction() throws Exception {
        index.events(new ForwardRouting(List.of(
                new ForwardRule("central", "CT?", null, null, Map.of()),
                new ForwardRule("site-b", null, "MR", null, Map.of(Tag.StudyDescription, "CHEST*"))),
                Set.of("site-b"), Clock.systemUTC()));
        String study = Synthetic.uid();
        String fromCt = store(study, "CT", "CT1");
        String mr = store(study, "MR", "MRI");
        store(study, "US", "US1"); // matches no rule
        assertThat(waiting("central")).extracting(ForwardEntry::sopUid).containsExactly(fromCt);
        assertThat(waiting("site-b")).extracting(ForwardEntry::sopUid).containsExactly(mr);
        store(study, "CT", "CT1"); // a new instance
        assertThat(waiting("central")).hasSize(2);

        // The queue write is part of the indexing transaction: when it fails, nothing is indexed either.
        index.events(new IndexEvents() {
            @Override
            public void instanceRecorded(Tx tx, Dataset header, InstanceRecord record) throws SQLException {
                new ForwardRouting(List.of(new ForwardRule("central", null, null, null, Map.of())), Set.of(),
                        Clock.systemUTC()).instanceRecorded(tx, header, record);
                throw new SQLException("simulated failure after the queue insert");
            }
        });
        String sop = Synthetic.uid();
        Dataset ds = Synthetic.instance("P17", "Doe^Jane", study, Synthetic.uid(), sop);
        assertThatThrownBy(() -> ingest.store(new ByteArrayInputStream(Synthetic.encode(ds)), UID.ExplicitVRLittleEndian, "CT1"))
                .isInstanceOf(IngestException.class);
        assertThat(index.read(tx -> tx.instances().find(sop)).isPresent()).isFalse();
        assertThat(waiting("central")).extracting(ForwardEntry::sopUid).doesNotContain(sop).hasSize(2);
    }

    @Test
    void instancesJournaledWhileTheIndexWasDownAreQueuedWhenReplayed() throws Exception {
        index.events(new ForwardRouting(List.of(new ForwardRule("central", null, null, null, Map.of())), Set.of(),
                Clock.systemUTC()));
        try (IngestJournal journal = new IngestJournal(dir.resolve("journal"), index, new FileSystemStorage(dir.resolve("storage")))) {
            IngestService deferred = new IngestService(new FileSystemStorage(dir.resolve("storage")), index, IngestConfig.DEFAULT,
                    Clock.systemUTC(), journal);
            journal.indexFailed(new IndexException("the index is down (simulated)", null, true));
            String sop = Synthetic.uid();
            deferred.store(new ByteArrayInputStream(Synthetic.encode(Synthetic.instance("P17", "Doe^Jane", Synthetic.uid(),
                    Synthetic.uid(), sop))), UID.ExplicitVRLittleEndian, "CT1");
            assertThat(journal.pending()).isEqualTo(1);
            assertThat(waiting("central")).isEmpty(); // acknowledged, journaled, not yet indexed
            journal.replay();
            assertThat(index.read(tx -> tx.instances().find(sop)).isPresent()).isTrue();
            assertThat(waiting("central")).extracting(ForwardEntry::sopUid).containsExactly(sop);
        }
    }

    private void enqueue(String destination, String study, int n) {
        index.write(tx -> {
            ForwardQueue q = new ForwardQueue(tx);
            for (int i = 0; i < n; i++) {
                q.enqueueStore(destination, study, "1.2.3", Synthetic.uid(), UID.CTImageStorage, UID.ExplicitVRLittleEndian, T0);
            }
            return null;
        });
    }

    private List<ForwardEntry> claim(String node, boolean ordered, long now, int max) {
        return index.write(tx -> new ForwardQueue(tx).claim("central", ordered, node, now, now + LEASE, max));
    }

    @Test
    void leasesKeepOtherNodesOffUntilTheyExpire() {
        enqueue("central", "1.2.9", 3);
        List<ForwardEntry> a = claim("node-a", false, T0, 2);
        List<ForwardEntry> b = claim("node-b", false, T0, 10);
        assertThat(a).hasSize(2);
        assertThat(b).hasSize(1).extracting(ForwardEntry::id).doesNotContainAnyElementsOf(a.stream().map(ForwardEntry::id).toList());
        assertThat(claim("node-b", false, T0 + 1, 10)).isEmpty();
        // node-a died: once its lease is over, node-b takes its entries over (and renews its own).
        List<ForwardEntry> taken = claim("node-b", false, T0 + LEASE + 1, 10);
        assertThat(taken).extracting(ForwardEntry::id).containsAll(a.stream().map(ForwardEntry::id).toList()).hasSize(3);
        // node-a's late outcome no longer counts: node-b holds them.
        index.write(tx -> {
            new ForwardQueue(tx).completed(a.getFirst(), "node-a", true);
            return null;
        });
        assertThat(waiting("central")).hasSize(3);
        // A live node renews its lease while a long batch is sent: nobody takes the entries meanwhile.
        int renewed = index.write(tx -> new ForwardQueue(tx).renew(taken, "node-b", T0 + 3 * LEASE));
        assertThat(renewed).isEqualTo(3);
        assertThat(claim("node-a", false, T0 + 2 * LEASE + 2, 10)).isEmpty();
        int stolen = index.write(tx -> new ForwardQueue(tx).renew(a, "node-a", T0 + 9 * LEASE));
        assertThat(stolen).isZero(); // not node-a's any more
    }

    @Test
    void anOrderedQueueLetsNothingOvertakeItsHead() {
        enqueue("central", "1.2.9", 3);
        List<ForwardEntry> head = claim("node-a", true, T0, 1);
        assertThat(head).hasSize(1);
        assertThat(claim("node-b", true, T0, 10)).isEmpty(); // the head is node-a's
        long next = T0 + 5_000;
        boolean dead = index.write(tx -> new ForwardQueue(tx).failed(head.getFirst(), "node-a", "refused", true, 3, T0, next));
        assertThat(dead).isFalse();
        assertThat(claim("node-b", true, T0 + 1, 10)).isEmpty(); // the head is not due yet: the others wait behind it
        List<ForwardEntry> all = claim("node-b", true, next, 10);
        assertThat(all).extracting(ForwardEntry::id).first().isEqualTo(head.getFirst().id());
        assertThat(all).hasSize(3).extracting(ForwardEntry::id).isSorted();
    }

    @Test
    void refusalsEndInADeadLetterWithTheReasonAndRetryQueuesItAgain() {
        enqueue("central", "1.2.9", 1);
        long now = T0;
        for (int attempt = 1; attempt <= 3; attempt++) {
            ForwardEntry e = claim("node-a", true, now, 1).getFirst();
            assertThat(e.attempts()).isEqualTo(attempt - 1);
            long at = now;
            boolean dead = index.write(tx -> new ForwardQueue(tx).failed(e, "node-a", "C-STORE refused: 0111", true, 3, at, at));
            assertThat(dead).isEqualTo(attempt == 3);
            now++;
        }
        // Unreachable destinations are no refusals: no entry dies of a dead link.
        assertThat(claim("node-a", true, now, 1)).isEmpty();
        ForwardQueues queues = new ForwardQueues(index, Clock.systemUTC());
        ForwardQueues.DestinationState s = queues.states().stream().filter(d -> d.name().equals("central")).findFirst().orElseThrow();
        assertThat(s.depth()).isZero();
        assertThat(s.deadLetters()).isEqualTo(1);
        assertThat(s.deadLettered()).isEqualTo(1);
        assertThat(s.failed()).isEqualTo(3);
        assertThat(queues.entries("central", true, 10)).singleElement()
                .satisfies(e -> assertThat(e.lastError()).isEqualTo("C-STORE refused: 0111"));
        assertThat(queues.retry("central", null)).isEqualTo(1);
        assertThat(claim("node-a", true, System.currentTimeMillis(), 1)).singleElement()
                .satisfies(e -> assertThat(e.attempts()).isZero());
    }

    /** Issue 18: an HL7 destination's queue holds messages (with their text) and report references, in one order. */
    @Test
    void hl7MessagesWaitInTheOrderedQueueWithTheirTextAndAShownQueueIsFilteredByName() {
        enqueue("central", "1.2.18", 1); // a report to announce as ORU^R01 (built when sent)
        String text = "MSH|^~\\&|A|B|C|D|20261207||ORM^O01^ORM_O01|C2|P|2.5.1\rORC|SC|O1\r";
        index.write(tx -> {
            new ForwardQueue(tx).enqueueMessage("central", null, "ORM^O01 C2", text, T0);
            new ForwardQueue(tx).enqueueMessage("central", "1.2.18", "ORU^R01 C3", text.replace("C2", "C3"), T0);
            return null;
        });
        List<ForwardEntry> all = claim("node-a", true, T0, 10);
        assertThat(all).extracting(ForwardEntry::kind).containsExactly(ForwardEntry.Kind.STORE, ForwardEntry.Kind.HL7,
                ForwardEntry.Kind.HL7);
        assertThat(all.get(1).reason()).isEqualTo("ORM^O01 C2");
        assertThat(all.get(1).studyUid()).isEmpty();
        String queued = index.read(tx -> new ForwardQueue(tx).message(all.get(1).id()));
        String none = index.read(tx -> new ForwardQueue(tx).message(all.get(0).id()));
        assertThat(queued).isEqualTo(text);
        assertThat(none).isNull();
        assertThat(new ForwardQueues(index, Clock.systemUTC(), java.util.Set.of("site-b")).states())
                .extracting(ForwardQueues.DestinationState::name).containsExactly("site-b");
    }

    @Test
    void aDeletionWaitsForTheStoresOfItsStudyQueuedBeforeIt() {
        enqueue("central", "1.2.9", 1);
        index.write(tx -> {
            new ForwardQueue(tx).enqueueDelete("central", "1.2.9", "test", T0);
            return null;
        });
        List<ForwardEntry> first = claim("node-a", false, T0, 10);
        assertThat(first).singleElement().satisfies(e -> assertThat(e.kind()).isEqualTo(ForwardEntry.Kind.STORE));
        index.write(tx -> {
            new ForwardQueue(tx).completed(first.getFirst(), "node-a", true);
            return null;
        });
        assertThat(claim("node-a", false, T0, 10)).singleElement()
                .satisfies(e -> assertThat(e.kind()).isEqualTo(ForwardEntry.Kind.DELETE));
    }

    @Test
    void nodesClaimingAtOnceNeverGetTheSameEntry() throws Exception {
        enqueue("central", "1.2.9", 120);
        int nodes = 4;
        ExecutorService pool = Executors.newFixedThreadPool(nodes);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<Long>>> results = new ArrayList<>();
        try {
            for (int n = 0; n < nodes; n++) {
                String node = "node-" + n;
                results.add(pool.submit(() -> {
                    start.await();
                    List<Long> mine = new ArrayList<>();
                    for (List<ForwardEntry> batch; !(batch = claim(node, false, T0, 7)).isEmpty(); ) {
                        batch.forEach(e -> mine.add(e.id()));
                    }
                    return mine;
                }));
            }
            start.countDown();
            List<Long> all = Collections.synchronizedList(new ArrayList<>());
            for (Future<List<Long>> f : results) {
                all.addAll(f.get());
            }
            assertThat(all).hasSize(120);
            assertThat(new HashSet<>(all)).hasSize(120);
        } finally {
            pool.shutdownNow();
        }
    }
}
