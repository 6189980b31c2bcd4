package dev.steadfast.archive.storage.replica;

import dev.steadfast.archive.config.IndexConfig;
import dev.steadfast.archive.config.IngestConfig;
import dev.steadfast.archive.health.CircuitBreaker;
import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.index.StoredInstance;
import dev.steadfast.archive.ingest.IngestException;
import dev.steadfast.archive.ingest.IngestService;
import dev.steadfast.archive.ingest.StoreResult;
import dev.steadfast.archive.retrieve.RetrieveEngine;
import dev.steadfast.archive.retrieve.RetrieveRequest;
import dev.steadfast.archive.scrub.IndexChecksums;
import dev.steadfast.archive.scrub.Pace;
import dev.steadfast.archive.scrub.Progress;
import dev.steadfast.archive.scrub.ScrubReport;
import dev.steadfast.archive.scrub.Scrubber;
import dev.steadfast.archive.storage.FileSystemStorage;
import dev.steadfast.archive.storage.StorageKey;
import dev.steadfast.archive.storage.s3.S3Config;
import dev.steadfast.archive.storage.s3.S3Storage;
import dev.steadfast.archive.testing.Synthetic;
import dev.steadfast.dicom.UID;
import dev.steadfast.testing.S3Proxy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 7 fault injection on a filesystem target plus a real S3 server (s3proxy, killed with
 * kill -9 in the middle of ingest): every acknowledged instance is present, intact and findable
 * afterwards; nothing refused is half-stored; no damaged byte is served.
 */
class StorageFaultTest {
    @TempDir
    Path dir;
    private S3Proxy proxy;
    private S3Storage s3;
    private ReplicatedStorage storage;
    private Index index;

    @AfterEach
    void stop() {
        if (storage != null) {
            storage.close();
        }
        if (s3 != null) {
            s3.close();
        }
        if (index != null) {
            index.close();
        }
        if (proxy != null) {
            proxy.close();
        }
    }

    private IngestService setUp(WritePolicy policy) throws IOException {
        proxy = S3Proxy.started(dir.resolve("s3"));
        S3Config config = S3Config.of(proxy.endpoint(), proxy.createBucket("archive"), S3Proxy.IDENTITY, S3Proxy.CREDENTIAL)
                .withTimeout(Duration.ofSeconds(5));
        s3 = new S3Storage(config);
        FileSystemStorage fs = new FileSystemStorage(dir.resolve("fs"));
        storage = new ReplicatedStorage(List.of(
                new Target("fs", fs, Target.defaultProbe(fs), breaker("fs")),
                new Target("s3", s3, s3::ping, breaker("s3"))), policy, ReplicaOptions.DEFAULT);
        index = Index.open(IndexConfig.sqlite(dir.resolve("index.db")));
        return new IngestService(storage, index, IngestConfig.DEFAULT);
    }

    private static CircuitBreaker breaker(String name) {
        return new CircuitBreaker(name, 1, Duration.ofMillis(300), Clock.systemUTC());
    }

    /** Sends instances from two "associations" while s3proxy is killed part way; returns outcomes. */
    private List<Sent> ingestWhileKilling(IngestService ingest, int perSender) throws Exception {
        List<Sent> sent = new java.util.concurrent.CopyOnWriteArrayList<>(); // read by this thread while senders add
        try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> f = new ArrayList<>();
            for (int s = 0; s < 2; s++) {
                f.add(senders.submit(() -> {
                    String study = Synthetic.uid();
                    String series = Synthetic.uid();
                    for (int i = 0; i < perSender; i++) {
                        String sop = Synthetic.uid();
                        byte[] bytes = Synthetic.encode(Synthetic.instance("FAULT", "Fault^S3", study, series, sop));
                        try {
                            StoreResult r = ingest.store(new ByteArrayInputStream(bytes), UID.ExplicitVRLittleEndian, "M");
                            sent.add(new Sent(study, series, sop, r, null));
                        } catch (IngestException e) {
                            sent.add(new Sent(study, series, sop, null, e));
                        }
                    }
                    return null;
                }));
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (sent.stream().filter(x -> x.acked != null).count() < 10 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            proxy.kill(); // kill -9 mid-ingest, once some instances were acknowledged
            for (Future<?> x : f) {
                x.get();
            }
        }
        return sent;
    }

    record Sent(String study, String series, String sop, StoreResult acked, IngestException refused) {}

    @Test
    void policyAllRefusesCleanlyWhileS3IsDeadAndNothingIsHalfStored() throws Exception {
        IngestService ingest = setUp(WritePolicy.ALL);
        List<Sent> sent = ingestWhileKilling(ingest, 40);
        List<Sent> refused = sent.stream().filter(s -> s.refused != null).toList();
        assertThat(refused).isNotEmpty();
        assertThat(sent.size() - refused.size()).as("acknowledged before the kill").isPositive();
        for (Sent s : refused) {
            assertThat(s.refused.kind()).isEqualTo(IngestException.Kind.OUT_OF_RESOURCES); // A700
            assertThat(index.read(tx -> tx.instances().find(s.sop)).isPresent()).isFalse();
            assertThat(storage.targets().getFirst().storage().exists(StorageKey.of(s.study, s.series, s.sop))).isFalse();
        }
        proxy.start();
        assertEveryAcknowledgedInstanceIsIntact(sent, true);
    }

    @Test
    void quorumOneOfTwoKeepsAcknowledgingAndRepairCatchesUpWhenS3Returns() throws Exception {
        IngestService ingest = setUp(WritePolicy.quorum(1));
        List<Sent> sent = ingestWhileKilling(ingest, 40);
        assertThat(sent).allSatisfy(s -> assertThat(s.refused).isNull());
        Target s3Target = storage.targets().get(1);
        assertThat(storage.pendingRepairs(s3Target)).isNotEmpty();
        assertEveryAcknowledgedInstanceIsIntact(sent, false); // served by the filesystem meanwhile

        proxy.start();
        List<Target> recovered = new ArrayList<>();
        try (HealthMonitor m = new HealthMonitor(storage, recovered::add)) {
            m.checkNow();
        }
        assertThat(recovered).containsExactly(s3Target);
        ScrubReport r = new Scrubber(storage, new IndexChecksums(index), Pace.UNLIMITED).repairPending();
        assertThat(r.unrepairable()).isEmpty();
        assertThat(storage.pendingRepairs(s3Target)).isEmpty();
        assertEveryAcknowledgedInstanceIsIntact(sent, true);
    }

    /** The quorum case over and over (soak): {@code -Dsteadfast.soak.rounds=N}. */
    @Test
    @org.junit.jupiter.api.condition.EnabledIfSystemProperty(named = "steadfast.soak.rounds", matches = "\\d+")
    void soakKillAndRestartS3UnderQuorum() throws Exception {
        IngestService ingest = setUp(WritePolicy.quorum(1));
        List<Sent> all = new ArrayList<>();
        for (int round = 0; round < Integer.getInteger("steadfast.soak.rounds"); round++) {
            all.addAll(ingestWhileKilling(ingest, 50));
            assertThat(all).allSatisfy(s -> assertThat(s.refused).isNull());
            proxy.start();
            try (HealthMonitor m = new HealthMonitor(storage, t -> { })) {
                m.checkNow();
            }
            assertThat(new Scrubber(storage, new IndexChecksums(index), Pace.UNLIMITED).repairPending()
                    .unrepairable()).isEmpty();
            assertEveryAcknowledgedInstanceIsIntact(all, true);
            System.out.println("SOAK round " + round + ": " + all.size() + " acknowledged, all intact on both targets");
        }
    }

    @Test
    void aDamagedReplicaIsNeverServedAndScrubRepairsIt() throws Exception {
        IngestService ingest = setUp(WritePolicy.ALL);
        List<Sent> sent = new ArrayList<>();
        String study = Synthetic.uid();
        String series = Synthetic.uid();
        for (int i = 0; i < 5; i++) {
            String sop = Synthetic.uid();
            sent.add(new Sent(study, series, sop, ingest.store(new ByteArrayInputStream(Synthetic.encode(
                    Synthetic.instance("ROT", "Bit^Rot", study, series, sop))), UID.ExplicitVRLittleEndian, "M"), null));
        }
        Path onDisk = dir.resolve("fs").resolve(sent.get(2).acked.key().path());
        ReplicatedStorageTest.flipByte(onDisk, Files.size(onDisk) - 100);
        assertEveryAcknowledgedInstanceIsIntact(sent, false); // the fs copy is damaged: served from S3
        ScrubReport r = new Scrubber(storage, new IndexChecksums(index), Pace.UNLIMITED).scrub(Progress.NONE);
        assertThat(r.damagedRepaired()).isEqualTo(1);
        assertThat(sha(Files.newInputStream(onDisk))).isEqualTo(sent.get(2).acked.sha256());
    }

    /** Present, intact and findable; with {@code everywhere}, on both targets byte for byte. */
    private void assertEveryAcknowledgedInstanceIsIntact(List<Sent> sent, boolean everywhere) throws Exception {
        RetrieveEngine retrieve = new RetrieveEngine(index, storage);
        for (Sent s : sent) {
            if (s.acked == null) {
                continue;
            }
            List<StoredInstance> found = retrieve.locate(RetrieveRequest.instance(s.study, s.series, s.sop));
            assertThat(found).hasSize(1);
            assertThat(sha(retrieve.open(found.getFirst()))).isEqualTo(s.acked.sha256());
            if (everywhere) {
                for (Target t : storage.targets()) {
                    assertThat(sha(t.storage().open(s.acked.key()))).as(t + " " + s.acked.key())
                            .isEqualTo(s.acked.sha256());
                }
            }
        }
    }

    static String sha(InputStream in) throws Exception {
        try (in) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(in.readAllBytes());
            return HexFormat.of().formatHex(md.digest());
        }
    }
}
