package dev.steadfast.dicom.charset;

import dev.steadfast.dicom.charset.SpecificCharacterSet.Mode;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Code extensions per PS3.5 6.1.2.5: value 1 of (0008,0005) gives the initial G0 and G1
 * designations, and every value's code elements may be invoked by escape sequence.
 *
 * @param initialG0 single-byte, so that delimiters can always be recognised
 * @param initialG1 null when value 1 designates no G1 set
 * @param declared the code elements of all values, in the order given
 */
record Iso2022Codec(GraphicSet initialG0, GraphicSet initialG1, List<GraphicSet> declared) implements Codec {

    static Iso2022Codec of(List<Term> terms) {
        Term first = terms.getFirst();
        GraphicSet g0 = first.g0() != null && !first.g0().multiByte() ? first.g0() : GraphicSet.ASCII;
        Set<GraphicSet> declared = new LinkedHashSet<>();
        terms.forEach(term -> declared.addAll(term.sets()));
        return new Iso2022Codec(g0, first.g1(), List.copyOf(declared));
    }

    /**
     * Reads bytes above 0x7F while no G1 set is designated: many writers leave out the
     * escape, so the first G1 set declared is the likeliest; else Latin-1, as for ASCII.
     */
    GraphicSet fallbackG1() {
        return declared.stream()
                .filter(set -> set.slot() == GraphicSet.Slot.G1)
                .findFirst()
                .orElse(GraphicSet.LATIN_1);
    }

    @Override
    public String decode(byte[] bytes, int offset, int length, Mode mode) {
        return new Iso2022Decoder(this, mode).decode(bytes, offset, length);
    }

    @Override
    public byte[] encode(String text, Mode mode) {
        return new Iso2022Encoder(this, mode).encode(text);
    }
}
