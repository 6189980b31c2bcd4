package dev.steadfast.archive.storage.replica;

import dev.steadfast.archive.health.CircuitBreaker;
import dev.steadfast.archive.health.HealthStatus;
import dev.steadfast.archive.scrub.Pace;
import dev.steadfast.archive.scrub.Progress;
import dev.steadfast.archive.scrub.ScrubReport;
import dev.steadfast.archive.scrub.Scrubber;
import dev.steadfast.archive.storage.FileSystemStorage;
import dev.steadfast.archive.storage.ImmutableObjectException;
import dev.steadfast.archive.storage.ImmutableStorage;
import dev.steadfast.archive.storage.StorageKey;
import dev.steadfast.archive.storage.StorageOutOfResourcesException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Several filesystem targets: write policies, failover, health, repair and scrub. */
class ReplicatedStorageTest {
    @TempDir
    Path dir;
    private ReplicatedStorage storage;

    private ReplicatedStorage replicated(WritePolicy policy, String... names) {
        List<Target> targets = java.util.Arrays.stream(names).map(n -> new Target(n,
                new FileSystemStorage(dir.resolve(n)), Target.defaultProbe(new FileSystemStorage(dir.resolve(n))),
                new CircuitBreaker(n, 1, Duration.ofMillis(200), Clock.systemUTC()))).toList();
        storage = new ReplicatedStorage(targets, policy, ReplicaOptions.DEFAULT);
        return storage;
    }

    @AfterEach
    void close() {
        if (storage != null) {
            storage.close();
        }
    }

    private static StorageKey key(int i) {
        return StorageKey.of("1.9", "1.9.1", "1.9.1." + i);
    }

    private static byte[] data(int n, int seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private Path file(String target, StorageKey key) {
        return dir.resolve(target).resolve(key.path());
    }

    /** The target directory replaced by a file: writes fail there, as on a removed disk. */
    private void remove(String target) throws IOException {
        Files.createDirectories(dir.resolve(target));
        try (var s = Files.walk(dir.resolve(target))) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        Files.writeString(dir.resolve(target), "gone");
    }

    private void restore(String target) throws IOException {
        Files.delete(dir.resolve(target));
        Files.createDirectories(dir.resolve(target));
    }

    @Test
    void policyAllWritesEveryTargetAndFailsCleanlyWhenOneIsGone() throws Exception {
        ReplicatedStorage s = replicated(WritePolicy.ALL, "a", "b");
        byte[] d = data(200_000, 1);
        s.put(key(1), new ByteArrayInputStream(d));
        assertThat(Files.readAllBytes(file("a", key(1)))).isEqualTo(d);
        assertThat(Files.readAllBytes(file("b", key(1)))).isEqualTo(d);

        remove("b");
        assertThatThrownBy(() -> s.put(key(2), new ByteArrayInputStream(d)))
                .isInstanceOf(StorageOutOfResourcesException.class);
        assertThat(file("a", key(2))).doesNotExist(); // nothing half-stored
        assertThat(s.health()).extracting(HealthStatus::name, HealthStatus::up)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("a", true),
                        org.assertj.core.groups.Tuple.tuple("b", false));
    }

    @Test
    void quorumKeepsWritingWithATargetGoneAndRepairCatchesUpWhenItReturns() throws Exception {
        ReplicatedStorage s = replicated(WritePolicy.quorum(1), "a", "b");
        remove("b");
        for (int i = 0; i < 5; i++) {
            s.put(key(i), new ByteArrayInputStream(data(5000, i)));
        }
        assertThat(s.pendingRepairs(s.targets().get(1))).hasSize(5);
        assertThat(read(s.open(key(3)))).isEqualTo(data(5000, 3));

        restore("b");
        Target b = s.targets().get(1);
        List<Target> recovered = new java.util.ArrayList<>();
        try (HealthMonitor m = new HealthMonitor(s, recovered::add)) {
            m.checkNow();
        }
        assertThat(recovered).containsExactly(b);
        assertThat(b.breaker().state()).isEqualTo(CircuitBreaker.State.CLOSED);
        ScrubReport r = new Scrubber(s, Scrubber.Expected.NONE, Pace.UNLIMITED).repairPending();
        assertThat(r.missingRepaired()).isEqualTo(5);
        for (int i = 0; i < 5; i++) {
            assertThat(Files.readAllBytes(file("b", key(i)))).isEqualTo(data(5000, i));
        }
        assertThat(s.pendingRepairs(b)).isEmpty();
    }

    @Test
    void readsFallOverToTheNextTargetWhenACopyIsMissingOrDamaged() throws Exception {
        ReplicatedStorage s = replicated(WritePolicy.ALL, "a", "b");
        byte[] d = data(100_000, 7);
        s.put(key(1), new ByteArrayInputStream(d));
        s.put(key(2), new ByteArrayInputStream(d));
        Files.delete(file("a", key(1)));
        flipByte(file("a", key(2)), 5000);
        assertThat(read(s.open(key(1)))).isEqualTo(d);
        assertThat(read(s.open(key(2)))).isEqualTo(d); // the damaged copy is never served
        assertThat(s.pendingRepairs(s.targets().get(0))).containsExactlyInAnyOrder(key(1), key(2));
    }

    @Test
    void scrubFindsADamagedCopyAndRepairsItFromAGoodOne() throws Exception {
        ReplicatedStorage s = replicated(WritePolicy.ALL, "a", "b", "c");
        for (int i = 0; i < 10; i++) {
            s.put(key(i), new ByteArrayInputStream(data(20_000, i)));
        }
        flipByte(file("b", key(4)), 100);
        Files.delete(file("c", key(6)));
        long[] steps = {0, 0};
        ScrubReport r = new Scrubber(s, Scrubber.Expected.NONE, Pace.UNLIMITED).scrub(new Progress() {
            @Override public void start(long objects) { steps[0] = objects; }

            @Override public void step() { steps[1]++; }
        });
        assertThat(r.objects()).isEqualTo(10);
        assertThat(r.damagedRepaired()).isEqualTo(1);
        assertThat(r.missingRepaired()).isEqualTo(1);
        assertThat(r.unrepairable()).isEmpty();
        assertThat(r.bytesRead()).isEqualTo(10 * 20_000 * 3 - 20_000);
        assertThat(steps).containsExactly(10, 10);
        assertThat(Files.readAllBytes(file("b", key(4)))).isEqualTo(data(20_000, 4));
        assertThat(Files.readAllBytes(file("c", key(6)))).isEqualTo(data(20_000, 6));
        ScrubReport again = new Scrubber(s, Scrubber.Expected.NONE, Pace.UNLIMITED).scrub(Progress.NONE);
        assertThat(again.damagedRepaired() + again.missingRepaired()).isZero();
    }

    @Test
    void anObjectDamagedEverywhereIsReportedNotInvented() throws Exception {
        ReplicatedStorage s = replicated(WritePolicy.ALL, "a", "b");
        s.put(key(1), new ByteArrayInputStream(data(3000, 1)));
        flipByte(file("a", key(1)), 10);
        flipByte(file("b", key(1)), 20);
        ScrubReport r = new Scrubber(s, Scrubber.Expected.NONE, Pace.UNLIMITED).scrub(Progress.NONE);
        assertThat(r.unrepairable()).containsExactly(key(1).path());
        assertThatThrownBy(() -> s.open(key(1))).isInstanceOf(IOException.class);
    }

    @Test
    void paceSlowsAPass() throws Exception {
        ReplicatedStorage s = replicated(WritePolicy.ALL, "a");
        for (int i = 0; i < 6; i++) {
            s.put(key(i), new ByteArrayInputStream(data(100, i)));
        }
        long t0 = System.nanoTime();
        new Scrubber(s, Scrubber.Expected.NONE, new Pace(20, 0)).scrub(Progress.NONE);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(250));
    }

    @Test
    void immutableTargetsRefuseOverwriteAndDeleteButScrubRepairsThroughTheAuditedPath() throws Exception {
        Path audit = dir.resolve("audit.log");
        ImmutableStorage a = new ImmutableStorage(new FileSystemStorage(dir.resolve("a")), audit);
        ImmutableStorage b = new ImmutableStorage(new FileSystemStorage(dir.resolve("b")), audit);
        storage = new ReplicatedStorage(List.of(Target.of("a", a), Target.of("b", b)), WritePolicy.ALL,
                ReplicaOptions.DEFAULT);
        storage.put(key(1), new ByteArrayInputStream(data(1000, 1)));
        storage.put(key(1), new ByteArrayInputStream(data(1000, 1))); // identical: fine
        assertThatThrownBy(() -> a.put(key(1), new ByteArrayInputStream(data(1000, 2))))
                .isInstanceOf(ImmutableObjectException.class);
        assertThatThrownBy(() -> a.delete(key(1))).isInstanceOf(ImmutableObjectException.class);
        flipByte(file("b", key(1)), 3);
        ScrubReport r = new Scrubber(storage, Scrubber.Expected.NONE, Pace.UNLIMITED).scrub(Progress.NONE);
        assertThat(r.damagedRepaired()).isEqualTo(1);
        assertThat(a.auditedDelete(key(1), "admin", "retention period over")).isTrue();
        assertThat(Files.readAllLines(audit)).hasSize(2)
                .anySatisfy(l -> assertThat(l).contains("\trepair\t" + key(1).path()))
                .anySatisfy(l -> assertThat(l).contains("\tdelete\t" + key(1).path() + "\tadmin\tretention period over"));
    }

    @Test
    void theBackgroundLoopsRepairWhatATargetMissed() throws Exception {
        ReplicatedStorage s = replicated(WritePolicy.quorum(1), "a", "b");
        remove("b");
        s.put(key(1), new ByteArrayInputStream(data(100, 1)));
        restore("b");
        try (dev.steadfast.archive.scrub.ScrubScheduler bg = new dev.steadfast.archive.scrub.ScrubScheduler(
                new Scrubber(s, Scrubber.Expected.NONE, Pace.UNLIMITED));
             HealthMonitor m = new HealthMonitor(s, t -> bg.repairSoon())) {
            bg.start(Duration.ofMillis(50), Duration.ofMillis(100));
            m.start(Duration.ofMillis(50));
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (!Files.exists(file("b", key(1))) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(Files.readAllBytes(file("b", key(1)))).isEqualTo(data(100, 1));
            while (bg.lastScrub() == null && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(bg.lastScrub().objects()).isEqualTo(1);
        }
    }

    static void flipByte(Path file, long offset) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(offset);
            int b = f.read();
            f.seek(offset);
            f.write(b ^ 0x40);
        }
    }

    static byte[] read(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }
}
