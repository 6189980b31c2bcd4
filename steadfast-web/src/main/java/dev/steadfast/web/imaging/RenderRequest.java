package dev.steadfast.web.imaging;

/**
 * One rendered or thumbnail image to produce (PS3.18 8.3.5.1.3 query parameters).
 *
 * @param frame        1-based frame number
 * @param mediaType    image/jpeg, image/png, ...
 * @param windowCenter null for the object's own window (or a full-range one)
 * @param windowWidth  null with windowCenter
 * @param viewportWidth  0 for the image's own size
 * @param viewportHeight 0 for the image's own size
 * @param quality      1..100 for lossy media types, 0 for the default
 */
public record RenderRequest(int frame, String mediaType, Double windowCenter, Double windowWidth,
                            int viewportWidth, int viewportHeight, int quality) {
}
