package dev.steadfast.server.viewer;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/** Compares two renderings of one image by layout and brightness, not by pixels (viewers differ in scaling and LUTs). */
final class ImageCompare {
    static final int SIZE = 48;

    private ImageCompare() {}

    /** The bounding box of what is not (nearly) black: the image inside the viewport's letterbox. */
    static BufferedImage cropToContent(BufferedImage img) {
        int minX = img.getWidth(), minY = img.getHeight(), maxX = -1, maxY = -1;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                if (luma(img.getRGB(x, y)) > 12) {
                    minX = Math.min(minX, x);
                    minY = Math.min(minY, y);
                    maxX = Math.max(maxX, x);
                    maxY = Math.max(maxY, y);
                }
            }
        }
        if (maxX < 0) {
            return img;
        }
        return img.getSubimage(minX, minY, maxX - minX + 1, maxY - minY + 1);
    }

    /**
     * The part of a viewport canvas the image fills when fitted whole and centred (how viewers first show an
     * image): the letterbox cut away, so the two renderings compare area for area.
     */
    static BufferedImage fitted(BufferedImage canvas, int columns, int rows) {
        double scale = Math.min(canvas.getWidth() / (double) columns, canvas.getHeight() / (double) rows);
        int w = Math.max(1, (int) Math.round(columns * scale));
        int h = Math.max(1, (int) Math.round(rows * scale));
        int x = Math.max(0, (canvas.getWidth() - w) / 2);
        int y = Math.max(0, (canvas.getHeight() - h) / 2);
        return canvas.getSubimage(x, y, Math.min(w, canvas.getWidth() - x), Math.min(h, canvas.getHeight() - y));
    }

    /** A SIZE x SIZE grey thumbnail, as luma values 0..255. */
    static double[] thumbnail(BufferedImage img) {
        BufferedImage t = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = t.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(img, 0, 0, SIZE, SIZE, null);
        g.dispose();
        double[] out = new double[SIZE * SIZE];
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                out[y * SIZE + x] = luma(t.getRGB(x, y));
            }
        }
        return out;
    }

    static double mean(double[] v) {
        double s = 0;
        for (double d : v) {
            s += d;
        }
        return s / v.length;
    }

    /** Pearson correlation of two thumbnails. */
    static double correlation(double[] a, double[] b) {
        double ma = mean(a), mb = mean(b), sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < a.length; i++) {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        return saa == 0 || sbb == 0 ? 0 : sab / Math.sqrt(saa * sbb);
    }

    private static double luma(int rgb) {
        return 0.299 * ((rgb >> 16) & 0xff) + 0.587 * ((rgb >> 8) & 0xff) + 0.114 * (rgb & 0xff);
    }
}
