package dev.steadfast.archive.audit;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The local audit log: append-only, one record a line, each record's hash covering the previous one, so a
 * changed, removed or reordered record breaks the chain from that point on ({@link #verify}).
 *
 * <p>A line is {@code SEQ HASH XML}: HASH is hex SHA-256 of the previous line's HASH, a space, SEQ, a space
 * and the XML. The first record chains to 64 zeros. {@link #append} forces each record to disk before it
 * returns; {@link AuditTrail}'s writer writes a batch and forces it once.
 */
public final class ChainedAuditLog implements AutoCloseable {
    static final String GENESIS = "0".repeat(64);

    private final Path file;
    private final FileChannel channel;
    private long seq;
    private String last;

    private ChainedAuditLog(Path file, FileChannel channel, long seq, String last) {
        this.file = file;
        this.channel = channel;
        this.seq = seq;
        this.last = last;
    }

    /** Opens (or creates) the log and continues its chain; refuses a log whose chain is already broken. */
    public static ChainedAuditLog open(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Verification v = Files.exists(file) ? verify(file) : new Verification(0, GENESIS, -1, null);
        if (!v.intact()) {
            throw new IOException("the audit log " + file + " is damaged at record " + v.brokenAt() + " (" + v.problem()
                    + "): keep it as evidence and start a new one");
        }
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        return new ChainedAuditLog(file, ch, v.records(), v.lastHash());
    }

    public Path file() {
        return file;
    }

    public synchronized void append(String xml) throws IOException {
        write(xml);
        force();
    }

    /** Appends a record without forcing it to disk: {@link #force} once after a batch (AuditTrail's writer does). */
    synchronized void write(String xml) throws IOException {
        long next = seq + 1;
        String hash = hash(last, next, xml);
        ByteBuffer line = ByteBuffer.wrap((next + " " + hash + " " + xml + "\n").getBytes(StandardCharsets.UTF_8));
        while (line.hasRemaining()) {
            channel.write(line);
        }
        seq = next;
        last = hash;
    }

    synchronized void force() throws IOException {
        channel.force(false);
    }

    /**
     * @param records   how many records check out
     * @param lastHash  the hash of the last good record
     * @param brokenAt  the first record that does not check out, or -1
     */
    public record Verification(long records, String lastHash, long brokenAt, String problem) {
        public boolean intact() {
            return brokenAt < 0;
        }
    }

    /** Walks the chain from the first record. */
    public static Verification verify(Path file) throws IOException {
        long n = 0;
        String prev = GENESIS;
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line; (line = r.readLine()) != null; ) {
                long expected = n + 1;
                int a = line.indexOf(' ');
                int b = a < 0 ? -1 : line.indexOf(' ', a + 1);
                if (b < 0) {
                    return new Verification(n, prev, expected, "not a record");
                }
                long seq;
                try {
                    seq = Long.parseLong(line.substring(0, a));
                } catch (NumberFormatException e) {
                    return new Verification(n, prev, expected, "no sequence number");
                }
                if (seq != expected) {
                    return new Verification(n, prev, expected, "sequence " + seq + " where " + expected + " was due");
                }
                String hash = line.substring(a + 1, b);
                if (!hash.equals(hash(prev, seq, line.substring(b + 1)))) {
                    return new Verification(n, prev, expected, "hash does not match the record and its predecessor");
                }
                n = seq;
                prev = hash;
            }
        }
        return new Verification(n, prev, -1, null);
    }

    static String hash(String previous, long seq, String xml) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update((previous + " " + seq + " " + xml).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every JDK has SHA-256
        }
    }

    @Override
    public synchronized void close() throws IOException {
        channel.close();
    }
}
