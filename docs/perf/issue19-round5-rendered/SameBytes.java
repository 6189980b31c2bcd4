import java.net.*; import java.nio.file.*; import java.util.*; import java.io.*; import java.lang.reflect.*;
public class SameBytes {
    public static void main(String[] a) throws Exception {
        ClassLoader oldL = new URLClassLoader(new URL[]{Path.of(a[0]).toUri().toURL()}, null);
        ClassLoader newL = new URLClassLoader(new URL[]{Path.of(a[1]).toUri().toURL(), Path.of(a[0]).toUri().toURL()}, null);
        List<Path> files; try (var w = Files.walk(Path.of(a[2]))) { files = w.filter(p -> p.toString().endsWith(".dcm")).sorted().limit(Integer.parseInt(a[3])).toList(); }
        int same = 0, diff = 0;
        for (Path p : files) {
            byte[] o, n;
            try { o = jpeg(oldL, p); } catch (Exception e) { continue; }
            n = jpeg(newL, p);
            if (Arrays.equals(o, n)) same++; else diff++;
        }
        System.out.println("same " + same + " differ " + diff);
    }
    static byte[] jpeg(ClassLoader l, Path p) throws Exception {
        Class<?> rd = l.loadClass("dev.steadfast.dicom.io.DicomReader"), ro = l.loadClass("dev.steadfast.dicom.io.ReadOptions");
        Object opts = ro.getField("DEFAULT").get(null);
        Object f = rd.getMethod("read", InputStream.class, ro).invoke(null, new ByteArrayInputStream(Files.readAllBytes(p)), opts);
        Object ds = f.getClass().getMethod("dataset").invoke(f); String ts = (String) f.getClass().getMethod("transferSyntaxUid").invoke(f);
        Class<?> r = l.loadClass("dev.steadfast.imaging.render.Renderer"), o = l.loadClass("dev.steadfast.imaging.render.RenderOptions");
        Object img = r.getMethod("render", l.loadClass("dev.steadfast.dicom.Dataset"), String.class, int.class, o).invoke(null, ds, ts, 0, o.getField("DEFAULT").get(null));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        l.loadClass("dev.steadfast.imaging.render.ImageEncoders").getMethod("write", java.awt.image.BufferedImage.class, String.class, int.class, OutputStream.class).invoke(null, img, "image/jpeg", 90, out);
        return out.toByteArray();
    }
}
