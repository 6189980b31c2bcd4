package dev.steadfast.dicom.charset;

import static dev.steadfast.dicom.charset.GraphicSet.*;

import java.nio.charset.Charset;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The Defined Terms of Specific Character Set, PS3.3 Tables C.12-2 to C.12-5: the code
 * elements each designates and, for terms used without code extensions, the JDK charset
 * that reads a whole value.
 */
enum Term {
    ISO_IR_6("ISO_IR 6", null, ASCII),
    ISO_IR_100("ISO_IR 100", null, ASCII, LATIN_1),
    ISO_IR_101("ISO_IR 101", null, ASCII, LATIN_2),
    ISO_IR_109("ISO_IR 109", null, ASCII, LATIN_3),
    ISO_IR_110("ISO_IR 110", null, ASCII, LATIN_4),
    ISO_IR_144("ISO_IR 144", null, ASCII, CYRILLIC),
    ISO_IR_127("ISO_IR 127", null, ASCII, ARABIC),
    ISO_IR_126("ISO_IR 126", null, ASCII, GREEK),
    ISO_IR_138("ISO_IR 138", null, ASCII, HEBREW),
    ISO_IR_148("ISO_IR 148", null, ASCII, LATIN_5),
    ISO_IR_203("ISO_IR 203", null, ASCII, LATIN_9),
    ISO_IR_13("ISO_IR 13", null, JIS_X0201_ROMAN, JIS_X0201_KATAKANA),
    ISO_IR_166("ISO_IR 166", null, ASCII, THAI),
    ISO_IR_192("ISO_IR 192", "UTF-8"),
    GB18030("GB18030", "GB18030"),
    GBK("GBK", "GBK"),
    ISO_2022_IR_6("ISO 2022 IR 6", null, ASCII),
    ISO_2022_IR_100("ISO 2022 IR 100", null, ASCII, LATIN_1),
    ISO_2022_IR_101("ISO 2022 IR 101", null, ASCII, LATIN_2),
    ISO_2022_IR_109("ISO 2022 IR 109", null, ASCII, LATIN_3),
    ISO_2022_IR_110("ISO 2022 IR 110", null, ASCII, LATIN_4),
    ISO_2022_IR_144("ISO 2022 IR 144", null, ASCII, CYRILLIC),
    ISO_2022_IR_127("ISO 2022 IR 127", null, ASCII, ARABIC),
    ISO_2022_IR_126("ISO 2022 IR 126", null, ASCII, GREEK),
    ISO_2022_IR_138("ISO 2022 IR 138", null, ASCII, HEBREW),
    ISO_2022_IR_148("ISO 2022 IR 148", null, ASCII, LATIN_5),
    ISO_2022_IR_203("ISO 2022 IR 203", null, ASCII, LATIN_9),
    ISO_2022_IR_13("ISO 2022 IR 13", null, JIS_X0201_ROMAN, JIS_X0201_KATAKANA),
    ISO_2022_IR_166("ISO 2022 IR 166", null, ASCII, THAI),
    ISO_2022_IR_87("ISO 2022 IR 87", null, JIS_X0208),
    ISO_2022_IR_159("ISO 2022 IR 159", null, JIS_X0212),
    ISO_2022_IR_149("ISO 2022 IR 149", null, KS_X1001),
    ISO_2022_IR_58("ISO 2022 IR 58", null, GB2312);

    private static final Map<String, Term> BY_KEY = new HashMap<>();

    static {
        for (Term term : values()) {
            BY_KEY.put(key(term.definedTerm), term);
        }
        BY_KEY.put("UTF8", ISO_IR_192); // seen in the wild instead of ISO_IR 192
    }

    private final String definedTerm;
    private final Charset wholeValueCharset;
    private final List<GraphicSet> sets;

    Term(String definedTerm, String multiByteCharset, GraphicSet... sets) {
        this.definedTerm = definedTerm;
        this.sets = List.of(sets);
        if (multiByteCharset != null) {
            this.wholeValueCharset = charsetOrNull(multiByteCharset);
        } else if (!definedTerm.startsWith("ISO 2022") && sets.length == 2 && sets[0] == ASCII) {
            this.wholeValueCharset = sets[1].charset();
        } else {
            this.wholeValueCharset = null;
        }
    }

    /**
     * The term a value of (0008,0005) names, tolerating case, padding and the usual
     * misspellings ("ISO-IR 100", "ISO_IR100", "iso 2022 ir 87"); null if unknown or
     * if this JDK cannot read it.
     */
    static Term lookup(String value) {
        Term term = BY_KEY.get(key(value));
        return term != null && term.supported() ? term : null;
    }

    String definedTerm() {
        return definedTerm;
    }

    /** The code elements this term designates, G0 before G1. */
    List<GraphicSet> sets() {
        return sets;
    }

    /**
     * The charset that decodes a whole value when this term stands alone without code
     * extensions (ISO 8859 parts, TIS-620, UTF-8, GB18030, GBK); null otherwise.
     */
    Charset wholeValueCharset() {
        return wholeValueCharset;
    }

    /** A multi-byte repertoire without code extensions (PS3.3 Table C.12-5). */
    boolean withoutExtensionsOnly() {
        return sets.isEmpty();
    }

    GraphicSet g0() {
        return sets.stream().filter(s -> s.slot() == GraphicSet.Slot.G0).findFirst().orElse(null);
    }

    GraphicSet g1() {
        return sets.stream().filter(s -> s.slot() == GraphicSet.Slot.G1).findFirst().orElse(null);
    }

    private boolean supported() {
        return withoutExtensionsOnly()
                ? wholeValueCharset != null
                : sets.stream().map(GraphicSet::charset).allMatch(Objects::nonNull);
    }

    private static String key(String value) {
        StringBuilder key = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isLetterOrDigit(c)) {
                key.append(c);
            }
        }
        return key.toString().toUpperCase(Locale.ROOT);
    }

    private static Charset charsetOrNull(String charsetName) {
        try {
            return Charset.forName(charsetName);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
