import dev.steadfast.dicom.io.*;
import dev.steadfast.imaging.render.*;
import javax.imageio.*;
import javax.imageio.stream.*;
import java.nio.file.*;
import java.util.*;
import java.io.*;
import java.awt.image.*;
import java.lang.management.*;

public class JpegMicro {
    public static void main(String[] a) throws Exception {
        List<Path> files;
        try (var w = Files.walk(Path.of(a[0]))) { files = w.filter(p -> p.toString().endsWith(".dcm")).sorted().limit(100).toList(); }
        List<BufferedImage> imgs = new ArrayList<>();
        for (Path p : files) { DicomFile f = DicomReader.readFile(p); imgs.add(Renderer.render(f.dataset(), f.transferSyntaxUid(), 0, RenderOptions.DEFAULT)); }
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        ImageWriter reused = ImageIO.getImageWritersByFormatName("jpeg").next();
        System.out.println(reused.getClass());
        for (int r = 0; r < 8; r++) {
            long[] t = new long[4]; long[] size = new long[4];
            for (BufferedImage img : imgs) {
                for (int v = 0; v < 4; v++) {
                    long t0 = mx.getCurrentThreadCpuTime();
                    ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
                    if (v == 0) ImageEncoders.write(img, "image/jpeg", 90, out);
                    else {
                        ImageWriter w = reused;
                        try (ImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
                            w.setOutput(ios);
                            ImageWriteParam p = w.getDefaultWriteParam();
                            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                            p.setCompressionQuality(0.9f);
                            if (v == 1) w.write(null, new IIOImage(img, null, null), p);
                            else if (v == 2) w.write(null, new IIOImage(img.getRaster(), null, null), p);
                            else { p.setCompressionQuality(0.75f); w.write(null, new IIOImage(img, null, null), p); }
                        }
                        w.reset();
                    }
                    t[v] += mx.getCurrentThreadCpuTime() - t0; size[v] += out.size();
                }
            }
            int n = imgs.size();
            System.out.printf("round %d: new writer %.2f ms, reused %.2f, raster %.2f, v3 %.2f ms; bytes %d %d %d %d%n", r, t[0]/1e6/n, t[1]/1e6/n, t[2]/1e6/n, t[3]/1e6/n, size[0]/n, size[1]/n, size[2]/n, size[3]/n);
        }
    }
}
