package dev.steadfast.server.node;

import dev.steadfast.archive.storage.FileSystemStorage;
import dev.steadfast.archive.storage.ImmutableStorage;
import dev.steadfast.archive.storage.Storage;
import dev.steadfast.archive.storage.replica.ReplicaOptions;
import dev.steadfast.archive.storage.replica.ReplicatedStorage;
import dev.steadfast.archive.storage.replica.Target;
import dev.steadfast.archive.storage.s3.S3Config;
import dev.steadfast.archive.storage.s3.S3Storage;
import dev.steadfast.server.config.StorageConfig;
import dev.steadfast.server.config.StorageTargetConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns the configured storage targets into running ones (folders created, temporary files swept). */
public final class StorageTargets {
    private static final Logger LOG = LoggerFactory.getLogger(StorageTargets.class);

    private StorageTargets() {
    }

    /** How a process uses the targets it opens. */
    private enum Use {
        /** A node: folders created, temporary files claimed, leftovers of writers that are gone swept. */
        NODE,
        /** A writer beside a node ({@code import}): folders created, nothing swept. */
        WRITER,
        /** A checker ({@code verify}, {@code reindex}): a missing folder stays missing (that target is down). */
        CHECKER
    }

    /** Every target, wrapped for replication; {@code auditDir} holds the audit logs of immutable targets. */
    static ReplicatedStorage open(StorageConfig config, Path auditDir) throws IOException {
        return open(config, auditDir, Use.NODE);
    }

    /**
     * The targets as they are, for {@code verify} and {@code reindex}: no folder is created (a
     * missing mount must not become an empty folder that repair then fills), nothing is swept.
     */
    public static ReplicatedStorage openExisting(StorageConfig config, Path auditDir) throws IOException {
        return open(config, auditDir, Use.CHECKER);
    }

    /**
     * @param sweep claim this process's temporary files and remove those left by writers that are
     *              gone (a node starting); false for a command that runs beside a node (import, verify)
     */
    public static ReplicatedStorage open(StorageConfig config, Path auditDir, boolean sweep) throws IOException {
        return open(config, auditDir, sweep ? Use.NODE : Use.WRITER);
    }

    private static ReplicatedStorage open(StorageConfig config, Path auditDir, Use use) throws IOException {
        List<Target> targets = new ArrayList<>();
        for (StorageTargetConfig t : config.targets()) {
            Storage s = switch (t) {
                case StorageTargetConfig.FileSystem fs -> fileSystem(fs.path(), config.minFreeBytes(), use);
                case StorageTargetConfig.S3 s3 -> new S3Storage(new S3Config(s3.endpoint(), s3.region(), s3.bucket(), s3.prefix(),
                        s3.pathStyle(), s3.accessKeyId(), s3.secretAccessKey(), S3Config.DEFAULT_PART_SIZE, null, s3.immutable(),
                        s3.retentionDays()));
            };
            if (t.immutable() && t instanceof StorageTargetConfig.FileSystem) {
                Files.createDirectories(auditDir);
                s = new ImmutableStorage(s, auditDir.resolve(t.name().replaceAll("[^A-Za-z0-9._-]", "_") + ".log"));
            }
            LOG.info("storage target {}: {}", t.name(), t); // S3 toString hides the secret
            targets.add(Target.of(t.name(), s));
        }
        return new ReplicatedStorage(targets, config.writePolicy(), ReplicaOptions.DEFAULT);
    }

    /**
     * A node claims its temporary files, so that another node starting on the same
     * folder leaves them alone, and removes only what writers that are gone left behind (issue 15).
     */
    private static FileSystemStorage fileSystem(Path path, long minFreeBytes, Use use) throws IOException {
        if (use != Use.NODE) {
            FileSystemStorage storage = new FileSystemStorage(path, minFreeBytes);
            if (use == Use.WRITER) {
                Files.createDirectories(storage.root());
            }
            return storage;
        }
        FileSystemStorage storage = FileSystemStorage.claimed(path, minFreeBytes);
        int swept = storage.sweepTemporaryFiles(); // left by a crash: never acknowledged
        if (swept > 0) {
            LOG.info("removed {} unfinished temporary files left in {} by a stopped writer", swept, path);
        }
        return storage;
    }

    /** Stops replication, then closes each target that holds resources (S3 clients). */
    public static void close(ReplicatedStorage targets) {
        targets.close();
        for (Target t : targets.targets()) {
            Storage s = t.storage() instanceof ImmutableStorage im ? im.inner() : t.storage();
            if (s instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception e) {
                    LOG.warn("closing storage target {}: {}", t, e.toString());
                }
            }
        }
    }

    /** The filesystem storage under a target, unwrapping immutability; null for S3. */
    static FileSystemStorage fileSystemOf(Target t) {
        Storage s = t.storage();
        if (s instanceof ImmutableStorage im) {
            s = im.inner();
        }
        return s instanceof FileSystemStorage fs ? fs : null;
    }
}
