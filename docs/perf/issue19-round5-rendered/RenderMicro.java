import dev.steadfast.dicom.io.*;
import dev.steadfast.imaging.render.*;
import java.nio.file.*;
import java.util.*;
import java.io.*;
import java.awt.image.BufferedImage;
import java.lang.management.*;

public class RenderMicro {
    public static void main(String[] a) throws Exception {
        List<Path> files;
        try (var w = Files.walk(Path.of(a[0]))) { files = w.filter(p -> p.toString().endsWith(".dcm")).sorted().limit(300).toList(); }
        List<byte[]> data = new ArrayList<>();
        for (Path p : files) data.add(Files.readAllBytes(p));
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        int rounds = Integer.parseInt(a[1]);
        for (int r = 0; r < rounds; r++) {
            long parse = 0, render = 0, enc = 0;
            for (byte[] b : data) {
                long t0 = mx.getCurrentThreadCpuTime();
                DicomFile f = DicomReader.read(new ByteArrayInputStream(b), ReadOptions.DEFAULT);
                long t1 = mx.getCurrentThreadCpuTime();
                BufferedImage img = Renderer.render(f.dataset(), f.transferSyntaxUid(), 0, RenderOptions.DEFAULT);
                long t2 = mx.getCurrentThreadCpuTime();
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                ImageEncoders.write(img, "image/jpeg", 90, out);
                long t3 = mx.getCurrentThreadCpuTime();
                parse += t1 - t0; render += t2 - t1; enc += t3 - t2;
            }
            int n = data.size();
            System.out.printf("round %d: parse %.2f ms, render %.2f ms, jpeg %.2f ms per image%n", r, parse / 1e6 / n, render / 1e6 / n, enc / 1e6 / n);
        }
    }
}
