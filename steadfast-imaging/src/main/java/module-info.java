/** Pixel data: frame access, codecs, transcoding and rendering. */
@SuppressWarnings("requires-automatic")
module dev.steadfast.imaging {
    requires transitive dev.steadfast.dicom;
    requires transitive java.desktop;
    // ImageIO plugins, found through ServiceLoader; the JPEG 2000 writer parameters are used directly.
    requires com.twelvemonkeys.imageio.jpeg;
    requires jai.imageio.jpeg2000;

    exports dev.steadfast.imaging;
    exports dev.steadfast.imaging.codec;
    exports dev.steadfast.imaging.render;
}
