package dev.steadfast.imaging.codec;

import dev.steadfast.imaging.ImageDescriptor;
import dev.steadfast.imaging.UnsupportedTransferSyntaxException;

import java.io.IOException;

/**
 * Decodes and (optionally) encodes one frame of one encapsulated transfer syntax. Native
 * frames on either side are little endian, planar configuration 0 for colour, laid out as
 * {@link ImageDescriptor} says. No third-party type appears here.
 */
public interface FrameCodec {

    /** The transfer syntax this instance is registered for. */
    String transferSyntaxUid();

    /** Whether encoding to this syntax discards information. */
    default boolean lossy() { return false; }

    /** Decodes one frame's compressed bytes (all its fragments joined). */
    byte[] decode(byte[] encoded, ImageDescriptor image) throws IOException;

    /** The descriptor of the decoded frame: photometric interpretation after colour conversion, planar 0. */
    default ImageDescriptor decodedDescriptor(ImageDescriptor image) {
        return image.withPlanarConfiguration(0);
    }

    default boolean canEncode(ImageDescriptor image) { return false; }

    /** Encodes one native frame ({@link #decodedDescriptor} layout). */
    default byte[] encode(byte[] frame, ImageDescriptor image, EncodeOptions options) throws IOException {
        throw new UnsupportedTransferSyntaxException(transferSyntaxUid(), "encoding to " + transferSyntaxUid() + " is not supported");
    }

    /** The descriptor to store with encoded frames (for example YBR_FULL_422 after JPEG baseline). */
    default ImageDescriptor encodedDescriptor(ImageDescriptor image) { return image; }
}
