package dev.steadfast.archive.storage;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The SHA-256 of the bytes of a stream after its first {@code from}: ingest's data set digest is the
 * stored object's, less the File Meta Information ingest put in front of it. Fed chunk by chunk, in
 * order, by one thread at a time.
 */
public final class TailSha256 {
    private final MessageDigest sha;
    private final long from;
    private long position;

    public TailSha256(long from) {
        if (from < 0) {
            throw new IllegalArgumentException("negative offset");
        }
        this.from = from;
        try {
            this.sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public void update(byte[] b, int off, int len) {
        long end = position + len;
        if (end > from) {
            int skip = (int) Math.max(0, from - position);
            sha.update(b, off + skip, len - skip);
        }
        position = end;
    }

    /** Lowercase hex of the digest; call once, after the last chunk. */
    public String hex() {
        return HexFormat.of().formatHex(sha.digest());
    }

    /**
     * {@code in}, hashing what is read through it on the reading thread (the default of
     * {@link Storage#stage(StorageKey, InputStream, long)}, and a lone replicated target's writer).
     */
    public InputStream hashing(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    update(new byte[] {(byte) b}, 0, 1);
                }
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n > 0) {
                    update(b, off, n);
                }
                return n;
            }

            @Override
            public long skip(long n) {
                return 0; // every byte is hashed: read them
            }
        };
    }

    /** {@code staged}, answering {@link Storage.Staged#tailSha256()} with {@code hex}. */
    static Storage.Staged withTail(Storage.Staged staged, String hex) {
        return new Storage.Staged() {
            @Override public StorageKey key() { return staged.key(); }

            @Override public String sha256() { return staged.sha256(); }

            @Override public String tailSha256() { return hex; }

            @Override public long length() { return staged.length(); }

            @Override public StoredObject commit() throws IOException { return staged.commit(); }

            @Override public void close() throws IOException { staged.close(); }
        };
    }
}
