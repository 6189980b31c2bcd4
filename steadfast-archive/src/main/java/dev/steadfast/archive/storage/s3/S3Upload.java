package dev.steadfast.archive.storage.s3;

import dev.steadfast.archive.storage.ImmutableObjectException;
import dev.steadfast.archive.storage.Storage;
import dev.steadfast.archive.storage.StorageException;
import dev.steadfast.archive.storage.StorageKey;
import dev.steadfast.archive.storage.StorageOutOfResourcesException;
import dev.steadfast.archive.storage.StoredObject;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.ObjectLockMode;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Staging on S3. An object smaller than one part is held in memory and PUT at commit, with
 * its SHA-256 as the request checksum (the store rejects a body that does not match). A larger
 * one goes up part by part while it streams (each part with its own SHA-256 checksum) and is
 * completed at commit; closing without commit aborts the upload. Its SHA-256 is only known at
 * the end, so it is recorded by a server-side copy onto itself after completion.
 */
final class S3Upload {
    private S3Upload() {}

    static Storage.Staged stage(S3Storage target, StorageKey key, InputStream in) throws IOException {
        int partSize = (int) target.config().partSize();
        MessageDigest sha = sha256();
        byte[] first = in.readNBytes(partSize);
        sha.update(first);
        if (first.length < partSize) {
            return new Small(target, key, first, sha.digest());
        }
        return Multipart.start(target, key, first, in, sha);
    }

    /** One PUT at commit. */
    private static final class Small implements Storage.Staged {
        private final S3Storage target;
        private final StorageKey key;
        private final byte[] bytes;
        private final byte[] digest;
        private boolean done;

        Small(S3Storage target, StorageKey key, byte[] bytes, byte[] digest) {
            this.target = target;
            this.key = key;
            this.bytes = bytes;
            this.digest = digest;
        }

        @Override public StorageKey key() { return key; }

        @Override public String sha256() { return HexFormat.of().formatHex(digest); }

        @Override public long length() { return bytes.length; }

        @Override
        public StoredObject commit() throws IOException {
            if (done) {
                throw new IllegalStateException("already committed or discarded: " + key);
            }
            done = true;
            S3Config c = target.config();
            PutObjectRequest.Builder put = PutObjectRequest.builder().bucket(c.bucket()).key(target.objectKey(key))
                    .contentType("application/octet-stream")
                    .metadata(Map.of(S3Storage.SHA_METADATA, sha256()))
                    .checksumSHA256(Base64.getEncoder().encodeToString(digest));
            retention(c, put);
            if (c.immutable()) {
                put.ifNoneMatch("*");
            }
            try {
                target.client().putObject(put.build(), RequestBody.fromBytes(bytes));
            } catch (S3Exception e) {
                if (e.statusCode() == 412) {
                    return alreadyThere(target, key, sha256(), bytes.length);
                }
                throw refused("cannot put " + key, e);
            } catch (SdkException e) {
                throw refused("cannot put " + key, e);
            }
            return new StoredObject(key, sha256(), bytes.length);
        }

        @Override
        public void close() {
            done = true;
        }
    }

    /** Parts uploaded while streaming; completed at commit. */
    private static final class Multipart implements Storage.Staged {
        private final S3Storage target;
        private final StorageKey key;
        private final String uploadId;
        private final List<CompletedPart> parts = new ArrayList<>();
        private String sha;
        private long length;
        private boolean done;

        private Multipart(S3Storage target, StorageKey key, String uploadId) {
            this.target = target;
            this.key = key;
            this.uploadId = uploadId;
        }

        static Multipart start(S3Storage target, StorageKey key, byte[] first, InputStream in, MessageDigest sha)
                throws IOException {
            S3Config c = target.config();
            CreateMultipartUploadRequest.Builder create = CreateMultipartUploadRequest.builder().bucket(c.bucket())
                    .key(target.objectKey(key)).contentType("application/octet-stream")
                    .checksumAlgorithm(ChecksumAlgorithm.SHA256);
            String id;
            try {
                id = target.client().createMultipartUpload(create.build()).uploadId();
            } catch (SdkException e) {
                throw refused("cannot start an upload of " + key, e);
            }
            Multipart m = new Multipart(target, key, id);
            boolean ok = false;
            try {
                m.upload(first);
                int partSize = (int) c.partSize();
                byte[] next;
                while ((next = in.readNBytes(partSize)).length > 0) { // input failures propagate as they are
                    sha.update(next);
                    m.upload(next);
                }
                m.sha = HexFormat.of().formatHex(sha.digest());
                ok = true;
                return m;
            } finally {
                if (!ok) {
                    m.close();
                }
            }
        }

        private void upload(byte[] part) throws StorageException {
            int number = parts.size() + 1;
            String checksum = Base64.getEncoder().encodeToString(S3Upload.sha256().digest(part));
            try {
                UploadPartResponse r = target.client().uploadPart(b -> b.bucket(target.config().bucket())
                        .key(target.objectKey(key)).uploadId(uploadId).partNumber(number)
                        .checksumSHA256(checksum), RequestBody.fromBytes(part));
                parts.add(CompletedPart.builder().partNumber(number).eTag(r.eTag()).checksumSHA256(checksum).build());
                length += part.length;
            } catch (SdkException e) {
                throw refused("cannot upload part " + number + " of " + key, e);
            }
        }

        @Override public StorageKey key() { return key; }

        @Override public String sha256() { return sha; }

        @Override public long length() { return length; }

        @Override
        public StoredObject commit() throws IOException {
            if (done) {
                throw new IllegalStateException("already committed or discarded: " + key);
            }
            S3Config c = target.config();
            try {
                target.client().completeMultipartUpload(b -> {
                    b.bucket(c.bucket()).key(target.objectKey(key)).uploadId(uploadId)
                            .multipartUpload(u -> u.parts(parts));
                    if (c.immutable()) {
                        b.ifNoneMatch("*");
                    }
                });
                done = true;
            } catch (S3Exception e) {
                if (e.statusCode() == 412) {
                    close(); // a rejected completion leaves its parts behind
                    return alreadyThere(target, key, sha, length);
                }
                throw refused("cannot complete " + key, e);
            } catch (SdkException e) {
                throw refused("cannot complete " + key, e);
            }
            recordSha256(c);
            return new StoredObject(key, sha, length);
        }

        private void recordSha256(S3Config c) throws StorageException {
            String k = target.objectKey(key);
            try {
                target.client().copyObject(b -> {
                    b.sourceBucket(c.bucket()).sourceKey(k).destinationBucket(c.bucket()).destinationKey(k)
                            .metadataDirective("REPLACE").contentType("application/octet-stream")
                            .metadata(Map.of(S3Storage.SHA_METADATA, sha));
                    if (c.retentionDays() > 0) {
                        b.objectLockMode(ObjectLockMode.COMPLIANCE)
                                .objectLockRetainUntilDate(Instant.now().plus(c.retentionDays(), ChronoUnit.DAYS));
                    }
                });
            } catch (SdkException e) {
                throw refused("cannot record the checksum of " + key, e);
            }
        }

        @Override
        public void close() {
            if (!done) {
                done = true;
                try {
                    target.client().abortMultipartUpload(b -> b.bucket(target.config().bucket())
                            .key(target.objectKey(key)).uploadId(uploadId));
                } catch (SdkException e) {
                    // the store's lifecycle rule for incomplete uploads cleans up after us
                }
            }
        }
    }

    /** An immutable target refused to overwrite: fine when the same bytes are there already. */
    private static StoredObject alreadyThere(S3Storage target, StorageKey key, String sha, long length)
            throws IOException {
        Optional<String> existing = target.recordedSha256(key);
        if (existing.isPresent() && existing.get().equals(sha)) {
            return new StoredObject(key, sha, length);
        }
        throw new ImmutableObjectException(key + " already exists with other content; this target is immutable");
    }

    private static void retention(S3Config c, PutObjectRequest.Builder put) {
        if (c.retentionDays() > 0) {
            put.objectLockMode(ObjectLockMode.COMPLIANCE)
                    .objectLockRetainUntilDate(Instant.now().plus(c.retentionDays(), ChronoUnit.DAYS));
        }
    }

    private static StorageOutOfResourcesException refused(String what, SdkException e) {
        return new StorageOutOfResourcesException(what + ": " + e.getMessage(), e);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
