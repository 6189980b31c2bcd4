package dev.steadfast.web.wado;

/** The resource URLs of PS3.18 under a service root (RetrieveURL, BulkDataURI). */
public final class Urls {
    private Urls() {}

    public static String study(String base, String study) {
        return base + "/studies/" + study;
    }

    public static String series(String base, String study, String series) {
        return study(base, study) + "/series/" + series;
    }

    public static String instance(String base, String study, String series, String sop) {
        return series(base, study, series) + "/instances/" + sop;
    }
}
