package dev.steadfast.server.serve;

import dev.steadfast.dicom.io.DicomReader;
import dev.steadfast.dicom.io.FileMeta;
import dev.steadfast.net.dimse.StoreSource;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/** A Part 10 file a peer wrote: its identity, syntax and the SHA-256 of its data set bytes (after the meta information). */
record Received(Path file, String sopInstanceUid, String transferSyntaxUid, String datasetSha256) {
    static Received of(Path file) throws IOException {
        FileMeta meta;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            meta = DicomReader.readFileMeta(in);
        }
        StoreSource s = StoreSource.ofFile(file);
        try (InputStream in = s.openDataset()) {
            return new Received(file, s.sopInstanceUid(), meta.transferSyntaxUid(), sha256(in));
        }
    }

    static List<Received> all(Path dir) throws IOException {
        List<Received> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(Files::isRegularFile).sorted().toList()) {
                out.add(of(p));
            }
        }
        return out;
    }

    static String sha256(InputStream in) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[65536];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
