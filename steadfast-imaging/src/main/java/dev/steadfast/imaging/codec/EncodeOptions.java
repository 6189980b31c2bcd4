package dev.steadfast.imaging.codec;

/**
 * How to encode: {@code quality} (1-100) for lossy JPEG, {@code compressionRatio} for lossy
 * JPEG 2000 (0 means the codec's default).
 */
public record EncodeOptions(int quality, double compressionRatio) {
    public static final EncodeOptions DEFAULT = new EncodeOptions(90, 10);

    public EncodeOptions {
        if (quality < 1 || quality > 100) {
            throw new IllegalArgumentException("quality must be 1..100: " + quality);
        }
        if (compressionRatio < 0) {
            throw new IllegalArgumentException("compression ratio must be >= 0");
        }
    }
}
