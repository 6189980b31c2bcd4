package dev.steadfast.web.imaging;

/**
 * Bounds on the pixel work DICOMweb does (rendering and transcoding), so one request cannot take
 * the node's memory or every CPU.
 *
 * @param threads       platform threads that decode, encode and render; requests beyond them wait
 * @param queue         requests that may wait for a thread; more are refused with 503
 * @param maxRenderSize largest width or height of a rendered image or thumbnail, in pixels; a
 *                      larger viewport is refused with 400, a larger image is scaled down to fit
 * @param maxUpscale    how far a viewport may enlarge an image (2: twice its size); beyond, the
 *                      image is sent at that size rather than interpolated further
 * @param warmUp        whether serve renders synthetic images once it is ready, so the first viewers
 *                      do not wait for the JIT (issue 19, {@link RenderWarmUp}); only serve reads it
 */
public record ImagingLimits(int threads, int queue, int maxRenderSize, double maxUpscale, boolean warmUp) {
    /**
     * One core is left to the listener, /health and I/O when there are several; a render is
     * tens of milliseconds, so 64 waiting requests are a few seconds of work.
     */
    public static final ImagingLimits DEFAULT = new ImagingLimits(
            Math.max(1, Runtime.getRuntime().availableProcessors() - 1), 64, 4096, 2.0);

    /** Without the warm-up. */
    public ImagingLimits(int threads, int queue, int maxRenderSize, double maxUpscale) {
        this(threads, queue, maxRenderSize, maxUpscale, false);
    }

    public ImagingLimits {
        if (threads < 1) {
            throw new IllegalArgumentException("imaging threads must be at least 1: " + threads);
        }
        if (queue < 1) {
            throw new IllegalArgumentException("imaging queue must be at least 1: " + queue);
        }
        if (maxRenderSize < 16 || maxRenderSize > 16384) {
            throw new IllegalArgumentException("largest rendered size must be 16..16384 pixels: " + maxRenderSize);
        }
        if (!(maxUpscale >= 1.0 && maxUpscale <= 8.0)) {
            throw new IllegalArgumentException("largest upscale factor must be 1..8: " + maxUpscale);
        }
    }

    /**
     * The size an image of {@code columns} x {@code rows} is rendered at for a viewport (0 for a
     * free side): fitted keeping its aspect, enlarged at most {@link #maxUpscale}, and never larger
     * than {@link #maxRenderSize} either way. Returns {width, height}.
     */
    public int[] outputSize(int columns, int rows, int viewportWidth, int viewportHeight) {
        double s = 1.0;
        if (viewportWidth > 0 || viewportHeight > 0) {
            double sx = viewportWidth > 0 ? viewportWidth / (double) columns : Double.MAX_VALUE;
            double sy = viewportHeight > 0 ? viewportHeight / (double) rows : Double.MAX_VALUE;
            s = Math.min(Math.min(sx, sy), maxUpscale);
        }
        s = Math.min(s, Math.min(maxRenderSize / (double) columns, maxRenderSize / (double) rows));
        int w = (int) Math.max(1, Math.min(maxRenderSize, Math.round(columns * s)));
        int h = (int) Math.max(1, Math.min(maxRenderSize, Math.round(rows * s)));
        return new int[] {w, h};
    }
}
