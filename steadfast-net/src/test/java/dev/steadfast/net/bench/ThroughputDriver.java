package dev.steadfast.net.bench;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.VR;
import dev.steadfast.dicom.dictionary.UidRegistry;
import dev.steadfast.dicom.io.DicomWriter;
import dev.steadfast.net.assoc.AssociationConfig;
import dev.steadfast.net.assoc.AssociationListener;
import dev.steadfast.net.dimse.ClientOptions;
import dev.steadfast.net.dimse.DimseClient;
import dev.steadfast.net.dimse.DimseServer;
import dev.steadfast.net.dimse.ServiceRegistry;
import dev.steadfast.net.dimse.Status;
import dev.steadfast.net.dimse.StoreSource;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * C-STORE throughput on loopback, ours (SCU to SCP) against dcmtk's storescu to storescp measured
 * in the same run; both receivers discard the data. Not a test: run by hand, e.g.
 * {@code java -cp <test classpath> dev.steadfast.net.bench.ThroughputDriver <ct-file> [seconds-per-case]}.
 */
public final class ThroughputDriver {
    public static void main(String[] args) throws Exception {
        Path ct = Path.of(args.length > 0 ? args[0] : "../shared/testdata/dicom/ct/dicomParser__CT1_UNC.explicit_little_endian.dcm");
        Path small = Files.createTempFile("small", ".dcm");
        Dataset ds = new Dataset().setString(Tag.SOPClassUID, VR.UI, UID.CTImageStorage).setString(Tag.SOPInstanceUID, VR.UI, "1.2.3.4")
                .setString(Tag.PatientName, VR.PN, "Bench^Mark").setBytes(Tag.PixelData, VR.OW, new byte[2048]);
        try (OutputStream os = Files.newOutputStream(small)) {
            DicomWriter.writeFile(os, ds, UID.ExplicitVRLittleEndian);
        }
        ours(ct, 1, 200); // warm-up: JIT and class loading
        ours(small, 1, 2000);
        System.out.println("case                      ours MB/s  ours inst/s  dcmtk MB/s  dcmtk inst/s  ratio");
        for (Path f : List.of(ct, small)) {
            int count = f == ct ? 400 : 4000;
            for (int assocs : new int[] {1, 4}) {
                double[] ours = ours(f, assocs, count / assocs);
                double[] dcmtk = dcmtk(f, assocs, count / assocs);
                System.out.printf("%-6s x%d assoc %5d inst  %9.1f  %11.0f  %10.1f  %12.0f  %5.2f%n", f == ct ? "CT" : "small", assocs, count,
                        ours[0], ours[1], dcmtk[0], dcmtk[1], ours[0] / dcmtk[0]);
            }
        }
        Files.delete(small);
    }

    /** {MB/s, instances/s} for our SCU into our SCP. */
    static double[] ours(Path file, int assocs, int perAssoc) throws Exception {
        ServiceRegistry registry = ServiceRegistry.builder().store(UidRegistry.storageSopClasses(), (rq, data) -> {
            data.transferTo(OutputStream.nullOutputStream());
            return Status.SUCCESS;
        }).build();
        AssociationConfig config = AssociationConfig.DEFAULTS.withMaxPduLengthReceive(16384);
        StoreSource source = StoreSource.ofFile(file);
        try (AssociationListener l = DimseServer.start(InetAddress.getLoopbackAddress(), 0, config,
                DimseServer.policyFor(registry).build(), registry, 16, null);
             ExecutorService pool = Executors.newCachedThreadPool()) { // the SCU runs on the caller's (platform) threads, as the CLI does
            long t0 = System.nanoTime();
            List<Future<?>> done = new ArrayList<>();
            for (int a = 0; a < assocs; a++) {
                done.add(pool.submit(() -> {
                    ClientOptions o = new ClientOptions().config(config).propose(source.sopClassUid(), source.transferSyntaxUid());
                    try (DimseClient c = DimseClient.open("127.0.0.1", l.port(), o)) {
                        for (int i = 0; i < perAssoc; i++) {
                            if (!c.store(source, null, -1).status().isSuccess()) {
                                throw new IllegalStateException("store failed");
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            return rates(file, assocs * perAssoc, System.nanoTime() - t0);
        }
    }

    /** {MB/s, instances/s} for storescu into storescp --ignore, TCP_NODELAY=1, default 16 KiB PDUs. */
    static double[] dcmtk(Path file, int assocs, int perAssoc) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ProcessBuilder scp = new ProcessBuilder("storescp", "--ignore", "--fork", String.valueOf(port)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        scp.environment().put("TCP_NODELAY", "1");
        Process p = scp.start();
        try {
            for (int i = 0; i < 200; i++) {
                try (Socket s = new Socket("127.0.0.1", port)) {
                    break;
                } catch (java.io.IOException e) {
                    Thread.sleep(10);
                }
            }
            long t0 = System.nanoTime();
            List<Process> clients = new ArrayList<>();
            for (int a = 0; a < assocs; a++) {
                ProcessBuilder scu = new ProcessBuilder("storescu", "--repeat", String.valueOf(perAssoc), "127.0.0.1", String.valueOf(port),
                        file.toString()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
                scu.environment().put("TCP_NODELAY", "1");
                clients.add(scu.start());
            }
            for (Process c : clients) {
                if (!c.waitFor(10, TimeUnit.MINUTES) || c.exitValue() != 0) {
                    throw new IllegalStateException("storescu failed");
                }
            }
            return rates(file, assocs * perAssoc, System.nanoTime() - t0);
        } finally {
            p.destroy();
            p.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static double[] rates(Path file, int instances, long nanos) throws Exception {
        double s = nanos / 1e9;
        return new double[] {Files.size(file) * (double) instances / 1e6 / s, instances / s};
    }
}
