package dev.steadfast.web.imaging;

/**
 * One rendered or thumbnail image to produce (PS3.18 8.3.5.1.3 query parameters).
 *
 * @param frame        1-based frame number
 * @param mediaType    image/jpeg, image/png, ...
 * @param windowCenter null for the object's own window (or a full-range one)
 * @param windowWidth  null with windowCenter
 * @param windowFunction LINEAR, LINEAR_EXACT or SIGMOID; null for the object's own (or LINEAR)
 * @param viewportWidth  0 for the image's own size
 * @param viewportHeight 0 for the image's own size
 * @param quality      1..100 for lossy media types, 0 for the default
 */
public record RenderRequest(int frame, String mediaType, Double windowCenter, Double windowWidth,
                            String windowFunction, int viewportWidth, int viewportHeight, int quality) {

    public RenderRequest(int frame, String mediaType, Double windowCenter, Double windowWidth,
                         int viewportWidth, int viewportHeight, int quality) {
        this(frame, mediaType, windowCenter, windowWidth, null, viewportWidth, viewportHeight, quality);
    }

    public RenderRequest withFrame(int f) {
        return new RenderRequest(f, mediaType, windowCenter, windowWidth, windowFunction, viewportWidth,
                viewportHeight, quality);
    }
}
