package dev.steadfast.bench.peers;

import dev.steadfast.bench.util.Args;
import dev.steadfast.dicom.dictionary.UidRegistry;
import dev.steadfast.net.assoc.AssociationConfig;
import dev.steadfast.net.assoc.AssociationListener;
import dev.steadfast.net.dimse.DimseServer;
import dev.steadfast.net.dimse.ServiceRegistry;
import dev.steadfast.net.dimse.Status;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The durable limit of this machine for the ingest benchmark (issue 19): a storage SCP that does
 * only what a durable archive cannot skip, receive, write, fsync the file, rename, fsync the
 * directory, then answer; no parsing, no checksum, no index. It runs on our net layer (the
 * association and PDU code ingest uses), so Steadfast against it measures what the archive adds
 * on top of the disk and the network, with the same per-instance fsync in series with each answer.
 * One flat directory, files named by the request's SOP Instance UID.
 *
 * <pre>java -cp benchmarks.jar dev.steadfast.bench.peers.DurableScp --data DIR [--port 0]</pre>
 * Prints {@code READY dicom=P} when listening; stops on end of standard input.
 */
public final class DurableScp {
    public static void main(String[] argv) throws Exception {
        Args a = new Args(argv, "DurableScp --data DIR [--port 0]");
        Path dir = Files.createDirectories(Path.of(a.required("data")));
        ServiceRegistry registry = ServiceRegistry.builder()
                .echo(rq -> Status.SUCCESS)
                .store(UidRegistry.storageSopClasses(), (rq, in) -> {
                    store(dir, rq.sopInstanceUid(), in);
                    return Status.SUCCESS;
                })
                .build();
        try (AssociationListener l = DimseServer.start(InetAddress.getLoopbackAddress(), a.getInt("port", 0),
                AssociationConfig.DEFAULTS, DimseServer.policyFor(registry).build(), registry, 64, null)) {
            System.out.println("READY dicom=" + l.port());
            System.out.flush();
            while (System.in.read() >= 0) {
                // run until the benchmark closes our standard input
            }
        }
    }

    static void store(Path dir, String sopInstanceUid, InputStream in) throws IOException {
        Path target = dir.resolve(sopInstanceUid + ".dcm");
        Path tmp = dir.resolve("." + sopInstanceUid + ".tmp");
        byte[] buf = new byte[64 * 1024];
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            for (int n; (n = in.read(buf)) >= 0; ) {
                ByteBuffer b = ByteBuffer.wrap(buf, 0, n);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
            }
            ch.force(true);
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel dc = FileChannel.open(dir, StandardOpenOption.READ)) {
            dc.force(true);
        }
    }
}
