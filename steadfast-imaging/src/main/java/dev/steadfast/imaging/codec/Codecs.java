package dev.steadfast.imaging.codec;

import dev.steadfast.imaging.j2k.J2kCodec;
import dev.steadfast.imaging.jpeg.JpegCodec;
import dev.steadfast.imaging.jpegls.JpegLsCodec;
import dev.steadfast.imaging.rle.RleCodec;

/** The registry of every codec this module has. */
public final class Codecs {
    private static final CodecRegistry STANDARD = create();

    private Codecs() {}

    public static CodecRegistry standard() { return STANDARD; }

    public static CodecRegistry create() {
        return new CodecRegistry()
                .register(new RleCodec())
                .register(new DeflateFrameCodec())
                .register(new JpegCodec(JpegCodec.BASELINE))
                .register(new JpegCodec(JpegCodec.EXTENDED))
                .register(new JpegCodec(JpegCodec.LOSSLESS))
                .register(new JpegCodec(JpegCodec.LOSSLESS_SV1))
                .register(new JpegLsCodec(JpegLsCodec.LOSSLESS))
                .register(new JpegLsCodec(JpegLsCodec.NEAR_LOSSLESS))
                .register(new J2kCodec(J2kCodec.LOSSLESS))
                .register(new J2kCodec(J2kCodec.LOSSY));
    }
}
