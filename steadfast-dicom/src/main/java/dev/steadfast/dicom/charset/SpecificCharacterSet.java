package dev.steadfast.dicom.charset;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The character repertoires a data set declares in Specific Character Set (0008,0005),
 * PS3.3 C.12.1.1.2 and PS3.5 section 6.1: decodes and encodes the values of SH, LO, UC,
 * ST, LT, UT and PN.
 *
 * <p>Built leniently from whatever a file holds: unknown terms are remembered and
 * ignored, never thrown. Immutable and thread-safe.
 *
 * <p>Decode a whole value before splitting it on {@code '\'}: in GB18030 and GBK the
 * byte 0x5C can be the second half of a character, and with code extensions 0x5C
 * inside a double-byte run is not a delimiter either.
 */
public final class SpecificCharacterSet {

    /** ISO_IR 6, the default repertoire: what applies when (0008,0005) is absent or empty. */
    public static final SpecificCharacterSet DEFAULT =
            new SpecificCharacterSet(List.of(Term.ISO_IR_6), List.of(), DirectCodec.ASCII);

    /**
     * Where the initial code elements come back (PS3.5 6.1.2.5.3). Control codes other
     * than ESC (CR, LF, FF, TAB) reset in every mode.
     */
    public enum Mode {
        /** SH, LO, UC: {@code '\'} separates values. */
        MULTI_VALUE,
        /** ST, LT, UT: a single value; {@code '\'} is an ordinary character. */
        TEXT,
        /** PN: {@code '^'}, {@code '='} and {@code '\'} delimit components, groups and values. */
        PERSON_NAME;

        /** Whether byte or character {@code c} (below 0x80) restores the initial code elements. */
        boolean resetsAt(int c) {
            if (c < 0x20) {
                return c != GraphicSet.ESC;
            }
            return switch (this) {
                case MULTI_VALUE -> c == '\\';
                case TEXT -> false;
                case PERSON_NAME -> c == '\\' || c == '^' || c == '=';
            };
        }
    }

    private final List<Term> terms;
    private final List<String> unknownTerms;
    private final Codec codec;

    private SpecificCharacterSet(List<Term> terms, List<String> unknownTerms, Codec codec) {
        this.terms = terms;
        this.unknownTerms = unknownTerms;
        this.codec = codec;
    }

    /**
     * From the values of (0008,0005) as found in a file. An empty value 1 with further
     * values means ISO 2022 IR 6 (PS3.5 6.1.2.5.1). Never throws.
     */
    public static SpecificCharacterSet of(String... values) {
        if (values == null) {
            return DEFAULT;
        }
        Set<Term> known = new LinkedHashSet<>();
        List<String> unknown = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            String value = values[i] == null ? "" : values[i].strip();
            if (value.isEmpty()) {
                if (i == 0 && values.length > 1) {
                    known.add(Term.ISO_2022_IR_6);
                }
                continue;
            }
            Term term = Term.lookup(value);
            if (term != null) {
                known.add(term);
            } else {
                unknown.add(value);
            }
        }
        if (unknown.isEmpty() && (known.isEmpty() || known.equals(Set.of(Term.ISO_IR_6)))) {
            return DEFAULT;
        }
        List<Term> terms = known.isEmpty() ? List.of(Term.ISO_IR_6) : List.copyOf(known);
        return new SpecificCharacterSet(terms, List.copyOf(unknown), codecFor(terms));
    }

    private static Codec codecFor(List<Term> terms) {
        // The standard allows UTF-8, GB18030 and GBK only alone; if mixed in, they win,
        // as they cannot be switched to by escape sequence.
        for (Term term : terms) {
            if (term.withoutExtensionsOnly()) {
                return new DirectCodec(term.wholeValueCharset());
            }
        }
        Term only = terms.size() == 1 ? terms.getFirst() : null;
        if (only == Term.ISO_IR_6) {
            return DirectCodec.ASCII;
        }
        if (only != null && only.wholeValueCharset() != null) {
            return new DirectCodec(only.wholeValueCharset());
        }
        return Iso2022Codec.of(terms);
    }

    /** Decodes one value (possibly multi-valued, per {@code mode}); malformed bytes become U+FFFD. */
    public String decode(byte[] bytes, int offset, int length, Mode mode) {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        return codec.decode(bytes, offset, length, Objects.requireNonNull(mode, "mode"));
    }

    /**
     * Encodes one value for writing, with the escape sequences code extensions need.
     * A character no declared repertoire holds is written as {@code '?'}. Adds no padding.
     */
    public byte[] encode(String text, Mode mode) {
        return codec.encode(text, Objects.requireNonNull(mode, "mode"));
    }

    /** Whether text is plain ASCII: ISO_IR 6 or ISO 2022 IR 6 only. */
    public boolean isAscii() {
        return terms.stream().allMatch(t -> t == Term.ISO_IR_6 || t == Term.ISO_2022_IR_6);
    }

    /** The recognised defined terms, spelled as in PS3.3; ISO_IR 6 stands for the default. */
    public List<String> terms() {
        return terms.stream().map(Term::definedTerm).toList();
    }

    /** Values of (0008,0005) that were not recognised, as found (stripped of padding). */
    public List<String> unknownTerms() {
        return unknownTerms;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SpecificCharacterSet other
                && terms.equals(other.terms)
                && unknownTerms.equals(other.unknownTerms);
    }

    @Override
    public int hashCode() {
        return Objects.hash(terms, unknownTerms);
    }

    @Override
    public String toString() {
        String s = String.join("\\", terms());
        return unknownTerms.isEmpty() ? s : s + " (unknown: " + String.join("\\", unknownTerms) + ")";
    }
}
