package dev.steadfast.imaging.render;

/** VOI LUT Function (0028,1056): the formulas of PS3.3 C.11.2.1.2-3, output in [0, 1]. */
public enum WindowFunction {
    LINEAR, LINEAR_EXACT, SIGMOID;

    public static WindowFunction of(String s) {
        if (s == null) {
            return LINEAR;
        }
        return switch (s.strip()) {
            case "LINEAR_EXACT" -> LINEAR_EXACT;
            case "SIGMOID" -> SIGMOID;
            default -> LINEAR;
        };
    }

    public double apply(double x, double c, double w) {
        return switch (this) {
            case LINEAR -> {
                if (w < 1) {
                    w = 1; // C.11.2.1.2.1: width shall be >= 1
                }
                if (x <= c - 0.5 - (w - 1) / 2) {
                    yield 0;
                }
                if (x > c - 0.5 + (w - 1) / 2) {
                    yield 1;
                }
                yield w == 1 ? 1 : (x - (c - 0.5)) / (w - 1) + 0.5;
            }
            case LINEAR_EXACT -> {
                if (w <= 0) {
                    yield x <= c ? 0 : 1;
                }
                if (x <= c - w / 2) {
                    yield 0;
                }
                if (x > c + w / 2) {
                    yield 1;
                }
                yield (x - c) / w + 0.5;
            }
            case SIGMOID -> 1 / (1 + Math.exp(-4 * (x - c) / Math.max(w, 1e-9)));
        };
    }
}
