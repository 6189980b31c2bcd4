package dev.steadfast.archive.query;

import dev.steadfast.archive.index.DicomText;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Element;
import dev.steadfast.dicom.Sequence;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.VR;
import dev.steadfast.dicom.dictionary.ElementDictionary;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntPredicate;
import java.util.function.UnaryOperator;

/**
 * The matching keys that are not index columns, matched in Java against an instance's stored
 * metadata (PS3.4 C.2.2.2): single value (text, numbers compared as numbers, bytes), list of
 * UIDs, wildcard, range (DA, TM, DT), universal, and sequence matching (C.2.2.2.6: the key's one
 * item matches if some stored item matches all its non-empty keys, recursively). A stored value
 * matches when any of its values does (C.2.2.3); several key values (other than UIDs) match any of
 * them, as the SQL side does. An absent or empty stored attribute matches only universal keys.
 */
final class KeyMatcher {
    /** Attributes the engine computes or answers itself: return keys only, never matched here. */
    private static final int[] NOT_MATCHED = {
        Tag.SpecificCharacterSet, Tag.QueryRetrieveLevel, Tag.NumberOfPatientRelatedStudies,
        Tag.NumberOfPatientRelatedSeries, Tag.NumberOfPatientRelatedInstances, Tag.NumberOfStudyRelatedSeries,
        Tag.NumberOfStudyRelatedInstances, Tag.NumberOfSeriesRelatedInstances, Tag.RetrieveAETitle,
        Tag.InstanceAvailability,
    };

    private final List<Condition> conditions;

    private KeyMatcher(List<Condition> conditions) {
        this.conditions = conditions;
    }

    /**
     * The conditions of every non-universal key of {@code keys} for which {@code inSql} is false.
     *
     * @throws InvalidQueryException for a key value that cannot be matched as given (a number that is not one)
     */
    static KeyMatcher of(Dataset keys, IntPredicate inSql, boolean foldPersonNames) {
        return of(keys, inSql, foldPersonNames, true);
    }

    private static KeyMatcher of(Dataset keys, IntPredicate inSql, boolean foldPersonNames, boolean topLevel) {
        List<Condition> cs = new ArrayList<>();
        for (Element e : keys) {
            int tag = e.tag();
            if ((tag >>> 16) <= 0x0002 || Tag.isGroupLength(tag) || Arrays.stream(NOT_MATCHED).anyMatch(t -> t == tag)
                    || inSql.test(tag)) {
                continue;
            }
            // Study summaries not kept in the metadata: an entity has them when one of its instances does.
            Condition c = !topLevel ? condition(keys, e, foldPersonNames) : switch (tag) {
                case Tag.ModalitiesInStudy -> text(Tag.Modality, VR.CS, keys.getStrings(tag), foldPersonNames);
                case Tag.SOPClassesInStudy -> text(Tag.SOPClassUID, VR.UI, keys.getStrings(tag), foldPersonNames);
                default -> condition(keys, e, foldPersonNames);
            };
            if (c != null) {
                cs.add(c);
            }
        }
        return new KeyMatcher(List.copyOf(cs));
    }

    /** Item keys of a sequence key: none is pushed to SQL. */
    static KeyMatcher forItem(Dataset item, boolean foldPersonNames) {
        return of(item, t -> false, foldPersonNames, false);
    }

    /** Whether nothing is left to match (every key was universal or matched in SQL). */
    boolean isEmpty() { return conditions.isEmpty(); }

    /** Whether the stored data set (an instance's metadata, or an item of it) matches all conditions. */
    boolean matches(Dataset stored) {
        for (Condition c : conditions) {
            if (!c.test(stored)) {
                return false;
            }
        }
        return true;
    }

    private interface Condition {
        boolean test(Dataset stored);
    }

    private static Condition condition(Dataset keys, Element e, boolean fold) {
        int tag = e.tag();
        if (e.value() instanceof Sequence s) {
            if (s.isEmpty()) {
                return null; // universal: the whole stored sequence is returned
            }
            KeyMatcher item = forItem(s.get(0), fold);
            if (item.isEmpty()) {
                return null;
            }
            return stored -> {
                Sequence seq = stored.getSequence(tag);
                if (seq == null) {
                    return false;
                }
                for (Dataset i : seq) {
                    if (item.matches(i)) {
                        return true;
                    }
                }
                return false;
            };
        }
        if (e.isEmpty()) {
            return null;
        }
        VR vr = vrOf(e);
        return switch (vr.kind()) {
            case BINARY, SEQUENCE -> {
                byte[] key = e.bytes();
                yield stored -> {
                    Element s = stored.get(tag);
                    return s != null && s.bytes() != null && Arrays.equals(s.bytes(), key);
                };
            }
            case STRING, TEXT, TEXT_MULTI, PERSON_NAME -> text(tag, vr, keys.getStrings(tag), fold);
            default -> numbers(tag, keys.getStrings(tag));
        };
    }

    /** The key's VR, or the dictionary's when it came as UN (implicit VR identifiers of unknown VR). */
    private static VR vrOf(Element e) {
        if (e.vr() != VR.UN || Tag.isPrivate(e.tag())) {
            return e.vr();
        }
        VR known = ElementDictionary.vrOf(e.tag());
        return known == null ? VR.UN : known;
    }

    private static Condition text(int tag, VR vr, String[] raw, boolean fold) {
        List<String> values = new ArrayList<>();
        for (String v : raw) {
            if (v != null && !v.isBlank()) {
                values.add(vr == VR.PN ? v.stripTrailing() : v.strip());
            }
        }
        boolean wildcards = switch (vr) {
            case AE, CS, LO, LT, PN, SH, ST, UC, UR, UT -> true;
            default -> false;
        };
        if (values.isEmpty() || (wildcards && values.contains("*"))) {
            return null;
        }
        TemporalKeys.check(tag, vr, values.toArray(String[]::new));
        return switch (vr) {
            case DA -> ranges(tag, values, DicomText::normalizeDate, DicomText::normalizeDate);
            case TM -> ranges(tag, values, DicomText::normalizeTime, DicomText::normalizeTimeUpper);
            case DT -> ranges(tag, values, KeyMatcher::dateTimeLower, KeyMatcher::dateTimeUpper);
            case DS, IS -> numbers(tag, raw);
            case UI, AS -> anyEqual(tag, values);
            default -> {
                boolean pn = vr == VR.PN;
                boolean folding = pn && fold;
                List<java.util.function.Predicate<String>> patterns = new ArrayList<>();
                for (String v : values) {
                    String k = folding ? DicomText.fold(v) : v;
                    if (wildcards && DicomText.hasWildcard(k)) {
                        Wildcard w = new Wildcard(k);
                        patterns.add(w::matches);
                    } else if (pn) {
                        // A name without wildcards also matches a stored name that adds ideographic/phonetic groups.
                        String groups = k + "=";
                        patterns.add(s -> s.equals(k) || s.startsWith(groups));
                    } else {
                        patterns.add(k::equals);
                    }
                }
                yield stored -> {
                    for (String s : stored.getStrings(tag)) {
                        String v = folding ? DicomText.fold(s) : s;
                        if (v == null || v.isEmpty()) {
                            continue;
                        }
                        for (var p : patterns) {
                            if (p.test(v)) {
                                return true;
                            }
                        }
                    }
                    return false;
                };
            }
        };
    }

    private static Condition anyEqual(int tag, List<String> values) {
        return stored -> {
            for (String s : stored.getStrings(tag)) {
                if (values.contains(s)) {
                    return true;
                }
            }
            return false;
        };
    }

    private static Condition numbers(int tag, String[] raw) {
        List<BigDecimal> keys = new ArrayList<>();
        for (String v : raw) {
            if (v == null || v.isBlank()) {
                continue;
            }
            try {
                keys.add(new BigDecimal(v.strip()));
            } catch (NumberFormatException e) {
                throw new InvalidQueryException("not a number: '" + v + "' for " + Tag.toString(tag));
            }
        }
        if (keys.isEmpty()) {
            return null;
        }
        return stored -> {
            String[] values;
            try {
                values = stored.getStrings(tag);
            } catch (RuntimeException e) {
                return false; // a stored value of another kind than the key's cannot equal it
            }
            for (String s : values) {
                try {
                    BigDecimal n = new BigDecimal(s.strip());
                    if (keys.stream().anyMatch(k -> k.compareTo(n) == 0)) {
                        return true;
                    }
                } catch (NumberFormatException e) {
                    // a malformed stored number matches nothing
                }
            }
            return false;
        };
    }

    /** Range matching (C.2.2.2.5) on normalised text, whose order is time order; any key value may match. */
    private static Condition ranges(int tag, List<String> values, UnaryOperator<String> lowerNorm,
                                    UnaryOperator<String> upperNorm) {
        List<String[]> bounds = new ArrayList<>();
        for (String v : values) {
            String[] r;
            try {
                r = DicomText.splitRange(v);
            } catch (IllegalArgumentException e) {
                throw new InvalidQueryException(Tag.toString(tag) + ": " + e.getMessage(), tag);
            }
            bounds.add(new String[] {r[0] == null ? null : lowerNorm.apply(r[0]), r[1] == null ? null
                    : upperNorm.apply(r[1])});
        }
        return stored -> {
            for (String s : stored.getStrings(tag)) {
                String v = lowerNorm.apply(s);
                if (v == null) {
                    continue;
                }
                for (String[] b : bounds) {
                    if ((b[0] == null || v.compareTo(b[0]) >= 0) && (b[1] == null || v.compareTo(b[1]) <= 0)) {
                        return true;
                    }
                }
            }
            return false;
        };
    }

    /** DT as YYYYMMDDHHMMSS.FFFFFF, missing parts at their earliest; the UTC offset is ignored. */
    static String dateTimeLower(String dt) {
        return dateTime(dt, false);
    }

    /** The latest date-time a partial DT stands for. */
    static String dateTimeUpper(String dt) {
        return dateTime(dt, true);
    }

    private static String dateTime(String dt, boolean upper) {
        if (dt == null || dt.isBlank()) {
            return null;
        }
        String t = dt.strip();
        int offset = Math.max(t.indexOf('+', 4), t.indexOf('-', 4));
        if (offset > 0) {
            t = t.substring(0, offset);
        }
        int dot = t.indexOf('.');
        String whole = dot >= 0 ? t.substring(0, dot) : t;
        String date = whole.length() > 8 ? whole.substring(0, 8) : whole;
        // YYYY or YYYYMM stands for its first or last day (31 is an upper bound for text order)
        if (date.length() == 4) {
            date += upper ? "1231" : "0101";
        } else if (date.length() == 6) {
            date += upper ? "31" : "01";
        }
        String time = whole.length() > 8 ? whole.substring(8) : "";
        String frac = dot >= 0 ? "." + t.substring(dot + 1) : "";
        String tm = time.isEmpty() ? (upper ? "235959.999999" : "000000.000000")
                : (upper ? DicomText.normalizeTimeUpper(time + frac) : DicomText.normalizeTime(time + frac));
        return date + tm;
    }
}
