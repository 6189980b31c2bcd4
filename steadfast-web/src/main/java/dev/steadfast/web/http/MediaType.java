package dev.steadfast.web.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A media type or media range with its parameters, e.g.
 * {@code multipart/related; type="application/dicom"; transfer-syntax=*}. Type, subtype and
 * parameter names are lower case; parameter values keep their case, without quotes.
 */
public record MediaType(String type, String subtype, Map<String, String> params, double quality) {

    public static final MediaType ANY = new MediaType("*", "*", Map.of(), 1);

    public MediaType {
        params = Map.copyOf(params);
    }

    public String essence() { return type + "/" + subtype; }

    public String param(String name) { return params.get(name); }

    public boolean isWildcard() { return type.equals("*") || subtype.equals("*"); }

    /** Whether this range admits the concrete essence, e.g. {@code image/*} admits {@code image/png}. */
    public boolean admits(String essence) {
        int slash = essence.indexOf('/');
        String t = essence.substring(0, slash);
        String s = essence.substring(slash + 1);
        return (type.equals("*") || type.equals(t)) && (subtype.equals("*") || subtype.equals(s));
    }

    /** Parses one media type; null or blank gives null. */
    public static MediaType parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        List<String> parts = split(text, ';');
        String essence = parts.get(0).strip().toLowerCase(Locale.ROOT);
        int slash = essence.indexOf('/');
        if (slash <= 0 || slash == essence.length() - 1) {
            if (essence.equals("*")) {
                return ANY;
            }
            throw HttpError.badRequest("malformed media type '" + text.strip() + "'");
        }
        Map<String, String> params = new LinkedHashMap<>();
        double q = 1;
        for (String p : parts.subList(1, parts.size())) {
            int eq = p.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String name = p.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            String value = unquote(p.substring(eq + 1).strip());
            if (name.equals("q")) {
                // RFC 9110 12.4.2: 0 to 1 with at most three decimals ("NaN", "1e0" and "2" are no qvalues)
                if (!value.matches("0(\\.\\d{0,3})?|1(\\.0{0,3})?")) {
                    throw HttpError.badRequest("malformed quality value in '" + text.strip() + "'");
                }
                q = Double.parseDouble(value);
            } else {
                params.put(name, value);
            }
        }
        return new MediaType(essence.substring(0, slash), essence.substring(slash + 1), params, q);
    }

    /**
     * The ranges of an Accept header (several headers joined by commas), best first; empty means anything
     * (no header). A header whose every range has {@code q=0} accepts nothing (RFC 9110 12.4.2): 406 here,
     * not "anything" once those ranges are left out.
     */
    public static List<MediaType> parseAccept(List<String> headers) {
        List<MediaType> out = new ArrayList<>();
        boolean refused = false;
        for (String h : headers) {
            for (String item : split(h, ',')) {
                MediaType m = parse(item);
                if (m != null && m.quality() > 0) {
                    out.add(m);
                } else if (m != null) {
                    refused = true;
                }
            }
        }
        if (out.isEmpty() && refused) {
            throw HttpError.notAcceptable("every media type in Accept has q=0: nothing is acceptable");
        }
        out.sort((a, b) -> Double.compare(b.quality(), a.quality()));
        return out;
    }

    /** Splits on a separator outside double quotes. */
    static List<String> split(String s, char sep) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == sep && !quoted) {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }

    private static String unquote(String v) {
        return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(essence());
        params.forEach((k, v) -> sb.append("; ").append(k).append('=')
                .append(v.matches("[A-Za-z0-9.*_-]+") ? v : "\"" + v + "\""));
        return sb.toString();
    }
}
