package dev.steadfast.archive.storage.s3;

import dev.steadfast.archive.storage.PreviousCopy;
import dev.steadfast.archive.storage.StorageKey;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/**
 * {@link PreviousCopy} for {@link S3Storage}: a server-side copy (bytes and {@code x-amz-meta-sha256}) of the
 * object under {@code <prefix>.previous/<key>/<uuid>}, acknowledged by the store (durable) before the
 * replacement's PUT. Listing skips keys that start with a dot, so scrub, reindex and repair never see it.
 * Only replacements pay for it.
 */
final class S3PreviousCopies {
    private static final String FOLDER = ".previous/";

    private final S3Storage storage;

    S3PreviousCopies(S3Storage storage) {
        this.storage = storage;
    }

    private String bucket() {
        return storage.config().bucket();
    }

    private String folderOf(StorageKey key) {
        return storage.config().prefix() + FOLDER + key.path() + "/";
    }

    PreviousCopy keep(StorageKey key) throws IOException {
        String copy = folderOf(key) + UUID.randomUUID();
        try {
            storage.client().copyObject(b -> b.sourceBucket(bucket()).sourceKey(storage.objectKey(key))
                    .destinationBucket(bucket()).destinationKey(copy));
        } catch (NoSuchKeyException e) {
            return PreviousCopy.NONE; // nothing stored there: nothing to lose
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return PreviousCopy.NONE;
            }
            throw S3Storage.failure("cannot keep the previous copy of " + key, e);
        } catch (SdkException e) {
            throw S3Storage.failure("cannot keep the previous copy of " + key, e);
        }
        return new Kept(key, copy);
    }

    List<PreviousCopy> leftFor(StorageKey key) throws IOException {
        try {
            return storage.client().listObjectsV2Paginator(b -> b.bucket(bucket()).prefix(folderOf(key))).contents().stream()
                    .sorted(Comparator.comparing(S3Object::lastModified))
                    .map(o -> (PreviousCopy) new Kept(key, o.key())).toList();
        } catch (SdkException e) {
            throw S3Storage.failure("cannot list the previous copies of " + key, e);
        }
    }

    List<StorageKey> keysWithCopies() throws IOException {
        String folder = storage.config().prefix() + FOLDER;
        try {
            return storage.client().listObjectsV2Paginator(b -> b.bucket(bucket()).prefix(folder)).contents().stream()
                    .map(o -> o.key().substring(folder.length()))
                    .filter(k -> k.lastIndexOf('/') > 0)
                    .map(k -> new StorageKey(k.substring(0, k.lastIndexOf('/'))))
                    .distinct().toList();
        } catch (SdkException e) {
            throw S3Storage.failure("cannot list the previous copies", e);
        }
    }

    private final class Kept implements PreviousCopy {
        private final StorageKey key;
        private final String copy;

        Kept(StorageKey key, String copy) {
            this.key = key;
            this.copy = copy;
        }

        @Override
        public StorageKey key() {
            return key;
        }

        @Override
        public String sha256() throws IOException {
            try {
                return storage.client().headObject(b -> b.bucket(bucket()).key(copy)).metadata().get(S3Storage.SHA_METADATA);
            } catch (SdkException e) {
                throw S3Storage.failure("cannot look up the previous copy of " + key, e);
            }
        }

        @Override
        public void restore() throws IOException {
            try {
                storage.client().copyObject(b -> b.sourceBucket(bucket()).sourceKey(copy)
                        .destinationBucket(bucket()).destinationKey(storage.objectKey(key)));
            } catch (NoSuchKeyException e) {
                return; // restored or discarded already
            } catch (SdkException e) {
                throw S3Storage.failure("cannot restore the previous copy of " + key, e);
            }
            discard();
        }

        @Override
        public void discard() throws IOException {
            try {
                storage.client().deleteObject(b -> b.bucket(bucket()).key(copy));
            } catch (SdkException e) {
                throw S3Storage.failure("cannot drop the previous copy of " + key, e);
            }
        }
    }
}
