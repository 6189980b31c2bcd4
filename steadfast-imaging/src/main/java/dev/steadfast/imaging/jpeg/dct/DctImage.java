package dev.steadfast.imaging.jpeg.dct;

/**
 * A decoded JPEG image: samples interleaved by pixel, components in frame-header order, at full
 * resolution, with no colour conversion (YCbCr stays YCbCr), each in {@code 0..2^precision-1}.
 */
public record DctImage(int rows, int columns, int components, int precision, int[] samples) {}
