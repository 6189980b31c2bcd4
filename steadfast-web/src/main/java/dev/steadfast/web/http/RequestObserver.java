package dev.steadfast.web.http;

/** Told about every answered request, for metrics: what kind of request, its status, how long it took. */
@FunctionalInterface
public interface RequestObserver {
    RequestObserver NONE = (kind, status, nanos) -> { };

    /**
     * @param kind  {@code stow}, {@code qido}, {@code wado}, {@code metadata}, {@code frames},
     *              {@code bulkdata}, {@code rendered}, {@code thumbnail}, {@code wado-uri}, or
     *              {@code other} (no such resource, preflight)
     * @param nanos from the request's arrival to the end of its response body
     */
    void observe(String kind, int status, long nanos);

    /** The kind of a matched route (null: none matched). */
    static String kindOf(Route route) {
        if (route == null) {
            return "other";
        }
        String t = route.template();
        if (route.method().equals("POST")) {
            return "stow";
        }
        if (t.equals("/wado")) {
            return "wado-uri";
        }
        if (t.endsWith("/rendered")) {
            return "rendered";
        }
        if (t.endsWith("/thumbnail")) {
            return "thumbnail";
        }
        if (t.endsWith("/metadata")) {
            return "metadata";
        }
        if (t.contains("/bulkdata/")) {
            return "bulkdata";
        }
        if (t.endsWith("/frames/{frames}")) {
            return "frames";
        }
        if (t.endsWith("/studies") || t.endsWith("/series") || t.endsWith("/instances")) {
            return "qido";
        }
        return "wado";
    }
}
