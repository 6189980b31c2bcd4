package dev.steadfast.server.cli.importer;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Sequence;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.io.DicomReader;
import dev.steadfast.dicom.io.FileMeta;
import dev.steadfast.dicom.io.ReadOptions;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Locale;

/**
 * Turns the command's arguments into the files to import, one at a time (never a list of them
 * all, so a million-file tree costs no memory): a file as itself, a folder recursively, a
 * DICOMDIR as the files its directory records reference.
 */
final class Sources {
    /** Receives each file found, or a reference that could not be followed. */
    interface Sink {
        void file(Path file, long size) throws InterruptedException;

        void unresolved(String where, String reason);

        boolean stopped();
    }

    private Sources() {
    }

    static void walk(Path arg, Sink sink) throws IOException, InterruptedException {
        if (Files.isDirectory(arg)) {
            walkFolder(arg, sink);
        } else if (isDicomdir(arg)) {
            dicomdir(arg, sink);
        } else {
            sink.file(arg, Files.size(arg));
        }
    }

    private static void walkFolder(Path dir, Sink sink) throws IOException, InterruptedException {
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (sink.stopped()) {
                        return FileVisitResult.TERMINATE;
                    }
                    // A link to a file is followed; links to folders are not (no cycles, no tree walked twice).
                    boolean linkToFile = attrs.isSymbolicLink() && Files.isRegularFile(file);
                    if (attrs.isRegularFile() || linkToFile) {
                        try {
                            sink.file(file, linkToFile ? size(file) : attrs.size());
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return FileVisitResult.TERMINATE;
                        }
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    sink.unresolved(file.toString(), "cannot read: " + e.getMessage());
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedException();
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0; // only for the progress total; the import reports what is wrong with the file
        }
    }

    /** A DICOMDIR by its Media Storage SOP Class (the name alone is a hint media often do not keep). */
    static boolean isDicomdir(Path file) throws IOException {
        if (!Files.isRegularFile(file) || !Sniff.looksLikeDicom(file)) {
            return false;
        }
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 8192)) {
            FileMeta meta = DicomReader.readFileMeta(in);
            return UID.MediaStorageDirectoryStorage.equals(strip(meta.mediaStorageSopClassUid()));
        } catch (IOException | RuntimeException e) {
            return false; // not readable as DICOM: the import reports it as such
        }
    }

    /**
     * Every directory record with a Referenced File ID (PS3.10 8.5, PS3.3 F.3.2.2), relative to
     * the DICOMDIR's folder. Records whose Record In-use Flag is 0000H are inactive and skipped.
     */
    private static void dicomdir(Path file, Sink sink) throws IOException, InterruptedException {
        Dataset ds = DicomReader.readFile(file, ReadOptions.DEFAULT).dataset();
        Sequence records = ds.getSequence(Tag.DirectoryRecordSequence);
        if (records == null) {
            return;
        }
        Path base = file.toAbsolutePath().getParent();
        for (Dataset record : records) {
            if (sink.stopped()) {
                return;
            }
            String[] id = record.getStrings(Tag.ReferencedFileID);
            if (id == null || id.length == 0 || record.getInt(Tag.RecordInUseFlag, 0xFFFF) == 0) {
                continue;
            }
            String shown = file + " -> " + String.join("\\", id);
            Path target;
            try {
                target = resolve(base, id);
            } catch (IllegalArgumentException e) {
                sink.unresolved(shown, e.getMessage());
                continue;
            }
            if (target == null) {
                sink.unresolved(shown, "the DICOMDIR references a file that is not on the medium");
            } else {
                sink.file(target, Files.size(target));
            }
        }
    }

    /**
     * Follows File ID components one folder at a time, case-insensitively: ISO 9660 media are
     * usually upper case, while the same files copied to another filesystem may not be.
     */
    static Path resolve(Path base, String[] components) throws IOException {
        Path current = base;
        for (String raw : components) {
            String c = raw.strip();
            if (c.isEmpty() || c.equals(".") || c.equals("..") || c.contains("/") || c.contains("\\")) {
                throw new IllegalArgumentException("Referenced File ID component '" + c + "' is not a plain name");
            }
            Path exact = current.resolve(c);
            if (Files.exists(exact)) {
                current = exact;
                continue;
            }
            Path found = null;
            if (Files.isDirectory(current)) {
                try (DirectoryStream<Path> entries = Files.newDirectoryStream(current)) {
                    for (Path e : entries) {
                        String name = e.getFileName().toString();
                        // ";1" is the ISO 9660 version suffix some mounts keep.
                        if (name.equalsIgnoreCase(c) || name.equalsIgnoreCase(c + ";1")) {
                            found = e;
                            break;
                        }
                    }
                }
            }
            if (found == null) {
                return null;
            }
            current = found;
        }
        return Files.isRegularFile(current) ? current : null;
    }

    private static String strip(String uid) {
        return uid == null ? null : uid.strip().replace("\0", "").toUpperCase(Locale.ROOT);
    }
}
