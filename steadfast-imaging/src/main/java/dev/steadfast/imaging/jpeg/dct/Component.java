package dev.steadfast.imaging.jpeg.dct;

/** One image component of the frame header, and its decoded samples once its scan is read. */
final class Component {
    final int id;
    final int h;
    final int v;
    final int quantTable;
    /** Samples at the component's own resolution, padded to whole MCUs; null before its scan. */
    short[] plane;
    int stride;
    /** Width and height at the component's resolution, before padding (IJG's downsampled_width/height). */
    final int width;
    final int height;

    Component(int id, int h, int v, int quantTable, int frameColumns, int frameRows, int hMax, int vMax) {
        this.id = id;
        this.h = h;
        this.v = v;
        this.quantTable = quantTable;
        this.width = ceilDiv(frameColumns * h, hMax);
        this.height = ceilDiv(frameRows * v, vMax);
    }

    static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    /** Blocks a non-interleaved scan of this component codes per row and per column (T.81 A.2.2). */
    int blocksPerLine() { return ceilDiv(width, 8); }

    int blockRows() { return ceilDiv(height, 8); }
}
