package dev.steadfast.bench.seed;

import dev.steadfast.archive.storage.Storage;
import dev.steadfast.archive.storage.StorageKey;
import dev.steadfast.archive.storage.StoredObject;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A storage target that reads and hashes what it is given and keeps nothing: the index seeder
 * measures the index, not the disk. Queries never open stored objects (the index keeps each
 * instance's metadata), so a seeded index answers C-FIND and QIDO-RS like a real one.
 */
public final class DiscardingStorage implements Storage {
    @Override
    public Staged stage(StorageKey key, InputStream in) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buf = new byte[16384];
        long length = 0;
        int n;
        while ((n = in.read(buf)) >= 0) {
            sha.update(buf, 0, n);
            length += n;
        }
        String digest = HexFormat.of().formatHex(sha.digest());
        long size = length;
        return new Staged() {
            @Override public StorageKey key() { return key; }

            @Override public String sha256() { return digest; }

            @Override public long length() { return size; }

            @Override public StoredObject commit() { return new StoredObject(key, digest, size); }

            @Override public void close() {}
        };
    }

    @Override
    public InputStream open(StorageKey key) throws IOException {
        throw new NoSuchFileException(key.path() + " (discarded by the index seeder)");
    }

    @Override
    public InputStream openRange(StorageKey key, long offset, long length) throws IOException {
        return open(key);
    }

    @Override
    public boolean exists(StorageKey key) {
        return false;
    }

    @Override
    public boolean delete(StorageKey key) {
        return false;
    }
}
