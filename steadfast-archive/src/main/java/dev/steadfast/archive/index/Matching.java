package dev.steadfast.archive.index;


import java.util.ArrayList;
import java.util.List;

/**
 * Turns matching keys on index columns into SQL conditions and their parameters, following
 * PS3.4 C.2.2.2: single value, list of UIDs, wildcard ({@code *} and {@code ?} become LIKE
 * with escaping), range (DA, TM, and a combined date-time), universal (empty value or a lone
 * {@code *}), and case-insensitive person names when configured.
 */
final class Matching {
    private final List<String> conditions = new ArrayList<>();
    private final List<Object> parameters = new ArrayList<>();
    private final boolean foldPersonNames;

    Matching(boolean foldPersonNames) {
        this.foldPersonNames = foldPersonNames;
    }

    List<String> conditions() { return conditions; }

    List<Object> parameters() { return parameters; }

    /**
     * Adds the condition for one key; values are the decoded values of its element, dates and times
     * already checked by the caller.
     *
     * @throws IllegalArgumentException a value the column cannot hold (an integer that is not one)
     */
    void add(IndexedColumn key, String[] values) {
        List<String> vs = new ArrayList<>();
        for (String v : values) {
            if (v != null && !v.strip().isEmpty()) {
                vs.add(key.kind == IndexedColumn.Kind.PERSON_NAME ? v.stripTrailing() : v.strip());
            }
        }
        if (vs.isEmpty() || vs.stream().anyMatch(v -> v.equals("*"))) {
            return; // universal matching
        }
        switch (key.kind) {
            case UID -> in(key.column, vs.stream().map(v -> v.replace("\0", "")).toList());
            case TEXT -> anyOf(key.column, vs, false);
            case PERSON_NAME -> {
                boolean fold = foldPersonNames && key.foldedColumn != null;
                anyOf(fold ? key.foldedColumn : key.column, fold ? vs.stream().map(DicomText::fold).toList() : vs, true);
            }
            case INTEGER -> {
                List<String> ors = new ArrayList<>();
                for (String v : vs) {
                    try {
                        parameters.add(Integer.parseInt(v.strip()));
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("not an integer: '" + v + "'");
                    }
                    ors.add(key.column + " = ?");
                }
                conditions.add(or(ors));
            }
            case DATE -> {
                range(key.column, vs.get(0), DicomText::normalizeDate, DicomText::normalizeDate);
            }
            case TIME -> {
                range(key.column, vs.get(0), DicomText::normalizeTime, DicomText::normalizeTimeUpper);
            }
            case MODALITIES -> {
                List<String> ors = new ArrayList<>();
                for (String v : vs) {
                    ors.add(textCondition("ms.modality", v));
                }
                conditions.add("EXISTS (SELECT 1 FROM series ms WHERE ms.study_fk = st.id AND " + or(ors) + ")");
            }
            default -> throw new IllegalStateException(key.kind.toString());
        }
    }

    /** StudyDate and StudyTime as one range: from (date1, time1) to (date2, time2). */
    void addCombinedDateTime(String dateRange, String timeRange) {
        String[] d = DicomText.splitRange(dateRange);
        String[] t = DicomText.splitRange(timeRange);
        String lower = d[0] == null ? null : DicomText.normalizeDate(d[0]) + (t[0] == null ? "000000.000000"
                : DicomText.normalizeTime(t[0]));
        String upper = d[1] == null ? null : DicomText.normalizeDate(d[1]) + (t[1] == null ? "235959.999999"
                : DicomText.normalizeTimeUpper(t[1]));
        String expr = "(st.study_date || COALESCE(st.study_time, '000000.000000'))";
        boundedBy(expr, lower, upper);
    }

    private void range(String column, String value, java.util.function.UnaryOperator<String> lowerNorm,
                       java.util.function.UnaryOperator<String> upperNorm) {
        if (!value.contains("-")) {
            String lower = lowerNorm.apply(value);
            String upper = upperNorm.apply(value);
            boundedBy(column, lower, upper);
            return;
        }
        String[] r = DicomText.splitRange(value);
        boundedBy(column, r[0] == null ? null : lowerNorm.apply(r[0]), r[1] == null ? null : upperNorm.apply(r[1]));
    }

    private void boundedBy(String expr, String lower, String upper) {
        if (lower == null && upper == null) {
            return;
        }
        if (lower != null && lower.equals(upper)) {
            conditions.add(expr + " = ?");
            parameters.add(lower);
            return;
        }
        List<String> ands = new ArrayList<>();
        if (lower != null) {
            ands.add(expr + " >= ?");
            parameters.add(lower);
        }
        if (upper != null) {
            ands.add(expr + " <= ?");
            parameters.add(upper);
        }
        conditions.add(String.join(" AND ", ands));
    }

    private void in(String column, List<String> values) {
        StringBuilder sb = new StringBuilder(column).append(" IN (");
        for (int i = 0; i < values.size(); i++) {
            sb.append(i == 0 ? "?" : ", ?");
            parameters.add(values.get(i));
        }
        conditions.add(sb.append(')').toString());
    }

    private void anyOf(String column, List<String> values, boolean personName) {
        List<String> ors = new ArrayList<>();
        for (String v : values) {
            if (personName && !DicomText.hasWildcard(v)) {
                // A name without wildcards also matches a stored name that adds ideographic/phonetic groups.
                ors.add("(" + column + " = ? OR " + column + " LIKE ? ESCAPE '!')");
                parameters.add(v);
                parameters.add(escapeLike(v) + "=%");
            } else {
                ors.add(textCondition(column, v));
            }
        }
        conditions.add(or(ors));
    }

    private String textCondition(String column, String v) {
        if (DicomText.hasWildcard(v)) {
            parameters.add(toLike(v));
            return column + " LIKE ? ESCAPE '!'";
        }
        parameters.add(v);
        return column + " = ?";
    }

    private static String or(List<String> ors) {
        return ors.size() == 1 ? ors.get(0) : "(" + String.join(" OR ", ors) + ")";
    }

    /** DICOM wildcards to a LIKE pattern with '!' as the escape character. */
    static String toLike(String v) {
        StringBuilder sb = new StringBuilder(v.length() + 4);
        for (char c : v.toCharArray()) {
            switch (c) {
                case '*' -> sb.append('%');
                case '?' -> sb.append('_');
                case '%', '_', '!' -> sb.append('!').append(c);
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    private static String escapeLike(String v) {
        return v.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }
}
