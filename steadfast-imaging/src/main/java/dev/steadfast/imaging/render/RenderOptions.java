package dev.steadfast.imaging.render;

/**
 * What to render: an optional window override (center/width, function), which of the object's
 * windows to use by default, the viewport to fit into (0 = native size) and whether to burn in
 * overlays.
 */
public record RenderOptions(Double windowCenter, Double windowWidth, WindowFunction function, int windowIndex,
                            int viewportWidth, int viewportHeight, boolean overlays) {
    public static final RenderOptions DEFAULT = new RenderOptions(null, null, null, 0, 0, 0, true);

    public RenderOptions {
        if ((windowCenter == null) != (windowWidth == null)) {
            throw new IllegalArgumentException("window center and width go together");
        }
        if (viewportWidth < 0 || viewportHeight < 0 || windowIndex < 0) {
            throw new IllegalArgumentException("negative viewport or window index");
        }
    }

    public RenderOptions withWindow(double center, double width) {
        return new RenderOptions(center, width, function, windowIndex, viewportWidth, viewportHeight, overlays);
    }

    public RenderOptions withFunction(WindowFunction f) {
        return new RenderOptions(windowCenter, windowWidth, f, windowIndex, viewportWidth, viewportHeight, overlays);
    }

    public RenderOptions withViewport(int width, int height) {
        return new RenderOptions(windowCenter, windowWidth, function, windowIndex, width, height, overlays);
    }

    public RenderOptions withOverlays(boolean on) {
        return new RenderOptions(windowCenter, windowWidth, function, windowIndex, viewportWidth, viewportHeight, on);
    }

    public boolean hasWindow() { return windowCenter != null; }
}
