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
        /** A node: folders created, leftovers of writers that are gone swept. */
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
     * @param sweep remove the temporary files of writers that are gone (a node starting); false for
     *              a command that runs beside a node (import)
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
     * A node removes the temporary files whose writer is gone (a crash); those another running
     * process is writing, on a shared folder, are locked and stay (issue 15).
     */
    private static FileSystemStorage fileSystem(Path path, long minFreeBytes, Use use) throws IOException {
        FileSystemStorage storage = new FileSystemStorage(path, minFreeBytes);
        if (use == Use.CHECKER) {
            return storage;
        }
        Files.createDirectories(storage.root());
        int swept = use == Use.NODE ? storage.sweepTemporaryFiles() : 0; // never acknowledged
        if (swept > 0) {
            LOG.info("removed {} unfinished temporary files left in {} by a writer that stopped", swept, path);
        }
        return storage;
    }

    /** Stops replication, then closes each target that holds resources (S3 clients). */
    public static void close(ReplicatedStorage targets) {
        targets.close();
        for (Target t : targets.targets()) {
            if (t.storage() instanceof AutoCloseable c) {
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
