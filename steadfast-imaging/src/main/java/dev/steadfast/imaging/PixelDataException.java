package dev.steadfast.imaging;

/** Pixel data that cannot be read as declared: truncated, inconsistent or hostile. */
public class PixelDataException extends RuntimeException {
    public PixelDataException(String message) {
        super(message);
    }

    public PixelDataException(String message, Throwable cause) {
        super(message, cause);
    }
}
