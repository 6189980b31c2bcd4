package dev.steadfast.archive.workflow;

import dev.steadfast.archive.index.IndexException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Accepted HL7 messages, durable before they are acknowledged (issue 18), applied to the index in
 * the order they were accepted. As the ingest journal does for instances: one fsync'd file per
 * message, named by a sequence number, renamed into place atomically. A message stays until it is
 * applied, or found unprocessable and moved to the dead letters; while the index is down, nothing
 * is applied and the backlog is retried every interval, in order, so a later update never
 * overtakes an earlier one.
 */
public final class Hl7Journal implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Hl7Journal.class);
    private static final String SUFFIX = ".hl7";

    /** Applies one message; an {@link IndexException} that is transient leaves it journaled, any other failure dead-letters it. */
    public interface Applier {
        void apply(String message) throws Exception;
    }

    /** Facts the dead letter keeps about a message, read from it by whoever understands HL7. */
    public interface Describer {
        /** {message type, control id}. */
        String[] describe(String message);
    }

    private final Path dir;
    private final Applier applier;
    private final Describer describer;
    private final DeadLetters deadLetters;
    private final Clock clock;
    private final AtomicLong sequence = new AtomicLong();
    private Thread replayer;
    private volatile boolean closed;

    public Hl7Journal(Path dir, Applier applier, Describer describer, DeadLetters deadLetters, Clock clock) throws IOException {
        this.dir = Files.createDirectories(dir);
        this.applier = applier;
        this.describer = describer;
        this.deadLetters = deadLetters;
        this.clock = clock;
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(p -> p.getFileName().toString().endsWith(SUFFIX + ".tmp")).toList()) {
                Files.delete(p); // an append that crashed before its rename: never acknowledged
            }
        }
        for (Path p : entries()) {
            sequence.set(Math.max(sequence.get(), seq(p)));
        }
    }

    /** Starts replaying what an earlier run left, and retrying the backlog every {@code interval}. */
    public Hl7Journal start(Duration interval) {
        replayer = Thread.ofVirtual().name("steadfast-hl7-journal").start(() -> {
            while (!closed) {
                try {
                    drain();
                } catch (RuntimeException e) {
                    LOG.warn("HL7 journal replay: {}", e.toString());
                }
                try {
                    Thread.sleep(interval);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        return this;
    }

    /**
     * Writes {@code message} durably and returns its sequence number. {@code deadReason} non-null:
     * the message is already known to be unprocessable; it is kept to become a dead letter.
     */
    public long append(String message, String deadReason) throws IOException {
        long seq = sequence.incrementAndGet();
        String header = (deadReason == null ? "A" : "D") + "\t" + clock.millis() + "\t"
                + (deadReason == null ? "" : deadReason.replace('\n', ' ').replace('\r', ' ')) + "\n";
        byte[] bytes = (header + message).getBytes(StandardCharsets.UTF_8);
        Path target = dir.resolve(String.format("%020d", seq) + SUFFIX);
        Path temp = dir.resolve(target.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer bb = ByteBuffer.wrap(bytes);
            while (bb.hasRemaining()) {
                ch.write(bb);
            }
            ch.force(true);
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
        return seq;
    }

    /**
     * Applies journaled messages in order until none is left or the index is unavailable.
     * Returns, by sequence number, the reason of each message dead-lettered in this pass.
     */
    public synchronized Map<Long, String> drain() {
        Map<Long, String> dead = new HashMap<>();
        for (Path entry : entries()) {
            String text;
            try {
                text = Files.readString(entry, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            int nl = text.indexOf('\n');
            String[] header = text.substring(0, nl).split("\t", 3);
            String message = text.substring(nl + 1);
            String reason = header[0].equals("D") ? header[2] : null;
            if (reason == null) {
                try {
                    applier.apply(message);
                } catch (IndexException e) {
                    if (e.isTransient()) {
                        LOG.debug("HL7 journal: index unavailable, {} kept for later", entry.getFileName());
                        return dead;
                    }
                    reason = e.getMessage();
                } catch (Exception e) {
                    reason = e.getMessage() == null ? e.toString() : e.getMessage();
                }
            }
            if (reason != null) {
                String[] what = describer.describe(message);
                try {
                    deadLetters.add(Long.parseLong(header[1]), what[0], what[1], reason, message);
                } catch (IndexException e) {
                    return dead; // kept: it becomes a dead letter once the index answers
                }
                dead.put(seq(entry), reason);
            }
            try {
                Files.delete(entry);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return dead;
    }

    /** Messages accepted and not yet applied. */
    public int pending() {
        return entries().size();
    }

    private List<Path> entries() {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(SUFFIX)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long seq(Path entry) {
        String n = entry.getFileName().toString();
        return Long.parseLong(n.substring(0, n.length() - SUFFIX.length()));
    }

    @Override
    public void close() {
        closed = true;
        if (replayer != null) {
            replayer.interrupt();
        }
    }
}
