package dev.steadfast.dicom.dictionary;

import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.VR;
import dev.steadfast.dicom.dictionary.ElementDictionary.Entry;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Golden entries checked against PS3.6 by hand. */
class ElementDictionaryTest {

    @Test
    void patientNameIsPnVm1() {
        Entry e = ElementDictionary.lookup(0x00100010);
        assertThat(e.tag()).isEqualTo(Tag.PatientName).isEqualTo(0x00100010);
        assertThat(e.vrs()).containsExactly(VR.PN);
        assertThat(e.vm()).isEqualTo("1");
        assertThat(e.keyword()).isEqualTo("PatientName");
        assertThat(e.name()).isEqualTo("Patient's Name");
        assertThat(e.retired()).isFalse();
    }

    @Test
    void pixelDataIsObOrOw() {
        Entry e = ElementDictionary.lookup(Tag.PixelData);
        assertThat(Tag.PixelData).isEqualTo(0x7FE00010);
        assertThat(e.vrs()).containsExactly(VR.OB, VR.OW);
        assertThat(ElementDictionary.vrOf(Tag.PixelData)).isEqualTo(VR.OB);
    }

    @Test
    void smallestImagePixelValueIsUsOrSs() {
        Entry e = ElementDictionary.lookup(0x00280106);
        assertThat(e.keyword()).isEqualTo("SmallestImagePixelValue");
        assertThat(e.vrs()).containsExactly(VR.US, VR.SS);
        assertThat(e.vr()).isEqualTo(VR.US);
    }

    @Test
    void lutDataIsUsOrOw() {
        assertThat(ElementDictionary.lookup(Tag.LUTData).vrs()).containsExactly(VR.US, VR.OW);
    }

    @Test
    void overlayDataInAnyOverlayGroupResolvesThroughTheMask() {
        Entry e = ElementDictionary.lookup(0x60023000);
        assertThat(e.tag()).isEqualTo(0x60023000);
        assertThat(e.keyword()).isEqualTo("OverlayData");
        assertThat(e.vrs()).containsExactly(VR.OB, VR.OW);
        assertThat(Tag.OverlayData).isEqualTo(0x60003000);
        assertThat(ElementDictionary.keywordOf(0x601E3000)).isEqualTo("OverlayData");
    }

    @Test
    void curveGroupsAreRetired() {
        Entry e = ElementDictionary.lookup(0x50100010);
        assertThat(e.keyword()).isEqualTo("NumberOfPoints");
        assertThat(e.vrs()).containsExactly(VR.US);
        assertThat(e.retired()).isTrue();
    }

    @Test
    void repeatingGroupMasksIgnoreOddGroups() {
        assertThat(ElementDictionary.lookup(0x60013000)).isNull();
        assertThat(ElementDictionary.lookup(0x60010010).keyword()).isEqualTo("PrivateCreator");
    }

    @Test
    void privateCreatorIsLo() {
        Entry e = ElementDictionary.lookup(0x00090010);
        assertThat(e.vrs()).containsExactly(VR.LO);
        assertThat(e.keyword()).isEqualTo("PrivateCreator");
        assertThat(ElementDictionary.vrOf(0x000900FF)).isEqualTo(VR.LO);
    }

    @Test
    void privateDataElementIsUnknownAndUnInImplicitVr() {
        assertThat(ElementDictionary.lookup(0x00111001)).isNull();
        assertThat(ElementDictionary.vrOf(0x00111001)).isEqualTo(VR.UN);
        assertThat(ElementDictionary.keywordOf(0x00111001)).isEmpty();
    }

    @Test
    void unknownStandardTagIsNull() {
        assertThat(ElementDictionary.lookup(0x00100011)).isNull();
        assertThat(ElementDictionary.vrOf(0x00100011)).isEqualTo(VR.UN);
    }

    @Test
    void groupLengthIsUlInEveryGroup() {
        for (int tag : new int[] {0x00080000, 0x00090000, 0x10000000, 0x60020000}) {
            Entry e = ElementDictionary.lookup(tag);
            assertThat(e.vrs()).as(Tag.toString(tag)).containsExactly(VR.UL);
            assertThat(e.keyword()).isEmpty();
            assertThat(e.name()).isEqualTo("Group Length");
        }
        assertThat(ElementDictionary.keywordOf(0x00020000)).isEqualTo("FileMetaInformationGroupLength");
    }

    @Test
    void lengthToEndIsRetired() {
        Entry e = ElementDictionary.lookup(0x00080001);
        assertThat(e.keyword()).isEqualTo("LengthToEnd");
        assertThat(e.vrs()).containsExactly(VR.UL);
        assertThat(e.retired()).isTrue();
    }

    @Test
    void itemsHaveNoVr() {
        Entry e = ElementDictionary.lookup(Tag.Item);
        assertThat(e.vrs()).isEmpty();
        assertThat(e.vr()).isNull();
        assertThat(ElementDictionary.vrOf(Tag.SequenceDelimitationItem)).isEqualTo(VR.UN);
    }

    @Test
    void unknownKeywordIsMinusOne() {
        assertThat(ElementDictionary.tagOf("NoSuchKeyword")).isEqualTo(-1);
        assertThat(ElementDictionary.tagOf("")).isEqualTo(-1);
    }

    @Test
    void everyTagConstantRoundTripsThroughTheDictionary() throws IllegalAccessException {
        List<Field> constants = Arrays.stream(Tag.class.getFields())
                .filter(f -> Modifier.isStatic(f.getModifiers()) && f.getType() == int.class)
                .toList();
        assertThat(constants).hasSizeGreaterThan(4900);
        for (Field f : constants) {
            int tag = f.getInt(null);
            assertThat(ElementDictionary.tagOf(f.getName())).as(f.getName()).isEqualTo(tag);
            assertThat(ElementDictionary.keywordOf(tag)).as(Tag.toString(tag)).isEqualTo(f.getName());
        }
    }

    @Test
    void tagHelpers() {
        assertThat(Tag.toString(Tag.PatientName)).isEqualTo("(0010,0010)");
        assertThat(Tag.toString(0x7FE0000A)).isEqualTo("(7FE0,000A)");
        assertThat(Tag.group(Tag.PixelData)).isEqualTo(0x7FE0);
        assertThat(Tag.element(Tag.PixelData)).isEqualTo(0x0010);
        assertThat(Tag.isPrivate(0x00091001)).isTrue();
        assertThat(Tag.isPrivate(Tag.PatientName)).isFalse();
        assertThat(Tag.isPrivateCreator(0x00090010)).isTrue();
        assertThat(Tag.isPrivateCreator(0x00090100)).isFalse();
        assertThat(Tag.isPrivateCreator(0x00100010)).isFalse();
        assertThat(Tag.isGroupLength(0x00080000)).isTrue();
    }
}
