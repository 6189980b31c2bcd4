package dev.steadfast.archive.query;

/**
 * A DICOM wildcard value ({@code *} any run of characters, {@code ?} one character; PS3.4
 * C.2.2.2.4) matched without backtracking blow-up. Why not a regex: {@code .*a.*a.*a...b} made
 * java.util.regex backtrack for minutes on one stored value (issue 14). This is the greedy
 * two-pointer match that only ever resumes from the latest star: O(pattern x value) in the worst
 * case, linear in practice, and no recursion.
 */
public final class Wildcard {
    private final String pattern;

    public Wildcard(String pattern) {
        this.pattern = collapse(pattern);
    }

    /** Runs of stars are one star (same meaning, less work). */
    private static String collapse(String p) {
        StringBuilder sb = new StringBuilder(p.length());
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c != '*' || sb.isEmpty() || sb.charAt(sb.length() - 1) != '*') {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** Whether the whole of {@code value} matches the pattern. */
    public boolean matches(String value) {
        String p = pattern;
        int v = 0;
        int k = 0;
        int star = -1; // pattern index just after the latest star, -1 before any
        int resume = 0; // value index the latest star is currently stretched to
        while (v < value.length()) {
            if (k < p.length() && p.charAt(k) != '*' && (p.charAt(k) == '?' || p.charAt(k) == value.charAt(v))) {
                k++;
                v++;
            } else if (k < p.length() && p.charAt(k) == '*') {
                star = ++k;
                resume = v;
            } else if (star >= 0) {
                k = star; // let the latest star swallow one more character and retry from there
                v = ++resume;
            } else {
                return false;
            }
        }
        while (k < p.length() && p.charAt(k) == '*') {
            k++;
        }
        return k == p.length();
    }

    @Override
    public String toString() {
        return pattern;
    }
}
