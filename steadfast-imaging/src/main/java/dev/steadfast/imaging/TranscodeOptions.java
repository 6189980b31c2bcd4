package dev.steadfast.imaging;

import dev.steadfast.imaging.codec.EncodeOptions;

/** Transcoding choices: lossy output happens only with {@code allowLossy}. */
public record TranscodeOptions(boolean allowLossy, EncodeOptions encode) {
    public static final TranscodeOptions LOSSLESS_ONLY = new TranscodeOptions(false, EncodeOptions.DEFAULT);

    public static TranscodeOptions lossy(int quality, double ratio) {
        return new TranscodeOptions(true, new EncodeOptions(quality, ratio));
    }
}
