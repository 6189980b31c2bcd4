import dev.steadfast.dicom.io.*;
import dev.steadfast.imaging.render.*;
import javax.imageio.*;
import java.nio.file.*;
import java.util.*;
import java.io.*;
import java.awt.image.*;
import java.lang.management.*;

public class EncCheck {
    public static void main(String[] a) throws Exception {
        List<Path> files;
        try (var w = Files.walk(Path.of(a[0]))) { files = w.filter(p -> p.toString().endsWith(".dcm")).sorted().limit(100).toList(); }
        List<BufferedImage> imgs = new ArrayList<>();
        for (Path p : files) { DicomFile f = DicomReader.readFile(p); imgs.add(Renderer.render(f.dataset(), f.transferSyntaxUid(), 0, RenderOptions.DEFAULT)); }
        // odd sizes: crops and thumbnails
        imgs.add(imgs.get(0).getSubimage(3, 5, 101, 77));
        imgs.add(ImageEncoders.thumbnail(imgs.get(1), 128));
        BufferedImage tiny = new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_GRAY); imgs.add(tiny);
        int bad = 0;
        for (int q : new int[] {90, 75, 20, 100, 1, 50}) {
            for (BufferedImage img : imgs) {
                ByteArrayOutputStream jdk = new ByteArrayOutputStream(), ours = new ByteArrayOutputStream();
                ImageEncoders.write(img, "image/jpeg", q, jdk);
                GreyJpegEncoder.write(img, q, ours);
                Raster x = ImageIO.read(new ByteArrayInputStream(jdk.toByteArray())).getRaster();
                Raster y = ImageIO.read(new ByteArrayInputStream(ours.toByteArray())).getRaster();
                int[] p1 = x.getPixels(0, 0, x.getWidth(), x.getHeight(), (int[]) null);
                int[] p2 = y.getPixels(0, 0, y.getWidth(), y.getHeight(), (int[]) null);
                if (!Arrays.equals(p1, p2)) { bad++; if (bad < 5) System.out.println("differ q=" + q + " " + img.getWidth() + "x" + img.getHeight() + " sizes " + jdk.size() + " " + ours.size()); }
            }
        }
        System.out.println("mismatches: " + bad);
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        for (int r = 0; r < 6; r++) {
            long t1 = 0, t2 = 0;
            for (int i = 0; i < 100; i++) {
                BufferedImage img = imgs.get(i);
                long t0 = mx.getCurrentThreadCpuTime();
                ImageEncoders.write(img, "image/jpeg", 90, new ByteArrayOutputStream());
                long tm = mx.getCurrentThreadCpuTime();
                GreyJpegEncoder.write(img, 90, new ByteArrayOutputStream());
                t1 += tm - t0; t2 += mx.getCurrentThreadCpuTime() - tm;
            }
            System.out.printf("jdk %.2f ms, ours %.2f ms%n", t1 / 1e8, t2 / 1e8);
        }
    }
}
