package dev.steadfast.archive.storage.replica;

import dev.steadfast.archive.storage.StorageException;
import dev.steadfast.archive.storage.StorageKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Whole-object reads that fall over from target to target. Where a target recorded the
 * object's SHA-256, the copy is read and checked before its first byte is handed out, so a
 * damaged replica is skipped (and queued for repair) instead of being served.
 */
final class VerifiedRead {
    private static final Logger log = LoggerFactory.getLogger(VerifiedRead.class);

    private VerifiedRead() {}

    /** @param folder where a copy too large for memory is verified (null: java.io.tmpdir) */
    static InputStream open(ReplicatedStorage owner, StorageKey key, long inMemoryLimit, Path folder) throws IOException {
        IOException last = null;
        boolean missingEverywhere = true;
        for (Target t : owner.readOrder()) {
            try {
                Optional<String> recorded = t.storage().recordedSha256(key);
                InputStream in = recorded.isPresent()
                        ? verified(t.storage().open(key), recorded.get(), inMemoryLimit, folder)
                        : t.storage().open(key);
                t.breaker().success();
                return in;
            } catch (NoSuchFileException e) {
                owner.missed(t, key);
            } catch (DamagedCopyException e) {
                missingEverywhere = false;
                owner.damaged(t, key);
                log.error("damaged copy of {} on {} ({}); served from another target, queued for repair", key, t,
                        e.getMessage());
                last = e;
            } catch (IOException e) {
                missingEverywhere = false;
                t.breaker().failure(e);
                last = e;
            }
        }
        throw missingEverywhere ? new NoSuchFileException(key.path())
                : new StorageException("no storage target holds a good copy of " + key, last);
    }

    /** Reads the whole copy, checks it, and returns its bytes (memory or a self-deleting temporary file). */
    private static InputStream verified(InputStream raw, String expected, long inMemoryLimit, Path folder) throws IOException {
        MessageDigest md = sha256();
        try (InputStream in = new DigestInputStream(raw, md)) {
            byte[] head = in.readNBytes((int) Math.min(inMemoryLimit + 1, Integer.MAX_VALUE - 16));
            if (head.length <= inMemoryLimit) {
                check(md, expected);
                return new ByteArrayInputStream(head);
            }
            Path temp = folder == null ? Files.createTempFile("steadfast-verified-", ".tmp")
                    : Files.createTempFile(folder, "steadfast-verified-", ".tmp");
            try {
                try (OutputStream out = Files.newOutputStream(temp)) {
                    out.write(head);
                    in.transferTo(out);
                }
                check(md, expected);
                return new FilterInputStream(Files.newInputStream(temp)) {
                    @Override
                    public void close() throws IOException {
                        try {
                            super.close();
                        } finally {
                            Files.deleteIfExists(temp);
                        }
                    }
                };
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(temp);
                throw e;
            }
        }
    }

    static void check(MessageDigest md, String expected) throws DamagedCopyException {
        String actual = HexFormat.of().formatHex(md.digest());
        if (!actual.equalsIgnoreCase(expected)) {
            throw new DamagedCopyException("SHA-256 " + actual + ", recorded " + expected);
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A copy whose bytes no longer match the checksum recorded with it. */
    static final class DamagedCopyException extends IOException {
        DamagedCopyException(String message) {
            super(message);
        }
    }
}
