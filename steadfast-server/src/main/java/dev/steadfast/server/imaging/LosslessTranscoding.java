package dev.steadfast.server.imaging;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.TransferSyntax;
import dev.steadfast.imaging.TranscodeOptions;
import dev.steadfast.imaging.Transcoder;
import dev.steadfast.imaging.codec.CodecRegistry;
import dev.steadfast.imaging.codec.Codecs;
import java.io.IOException;

/**
 * The imaging module's transcoder as both front doors use it: lossless targets only (a lossy one
 * is refused, never done silently). Thread-safe.
 */
public final class LosslessTranscoding {
    private final CodecRegistry codecs = Codecs.standard();
    private final Transcoder transcoder = new Transcoder(codecs);

    /** Whether data in {@code from} can be re-encoded in {@code to} without loss. */
    public boolean canTranscode(String from, String to) {
        if (from == null || to == null) {
            return false;
        }
        String f = from.strip();
        String t = to.strip();
        boolean decodable = TransferSyntax.of(f).isNative() || codecs.supports(f);
        boolean encodable = TransferSyntax.of(t).isNative() || (codecs.supports(t) && !codecs.get(t).lossy());
        return decodable && encodable;
    }

    public Dataset transcode(Dataset ds, String from, String to) throws IOException {
        return transcoder.transcode(ds, from, to, TranscodeOptions.LOSSLESS_ONLY);
    }
}
