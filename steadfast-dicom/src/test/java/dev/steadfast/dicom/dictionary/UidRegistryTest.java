package dev.steadfast.dicom.dictionary;

import dev.steadfast.dicom.UID;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Golden entries checked against PS3.6 Annex A by hand. */
class UidRegistryTest {

    @Test
    void transferSyntaxConstants() {
        assertThat(UID.ImplicitVRLittleEndian).isEqualTo("1.2.840.10008.1.2");
        assertThat(UID.ExplicitVRLittleEndian).isEqualTo("1.2.840.10008.1.2.1");
        assertThat(UID.DeflatedExplicitVRLittleEndian).isEqualTo("1.2.840.10008.1.2.1.99");
        assertThat(UID.ExplicitVRBigEndian).isEqualTo("1.2.840.10008.1.2.2");
        assertThat(UID.JPEGBaseline8Bit).isEqualTo("1.2.840.10008.1.2.4.50");
        assertThat(UID.Verification).isEqualTo("1.2.840.10008.1.1");
        assertThat(UID.CTImageStorage).isEqualTo("1.2.840.10008.5.1.4.1.1.2");
    }

    @Test
    void jpegLsLossless() {
        UidEntry e = UidRegistry.lookup("1.2.840.10008.1.2.4.80");
        assertThat(e.name()).isEqualTo("JPEG-LS Lossless Image Compression");
        assertThat(e.type()).isEqualTo("Transfer Syntax");
        assertThat(e.keyword()).isEqualTo("JPEGLSLossless");
        assertThat(e.retired()).isFalse();
    }

    @Test
    void bigEndianIsRetired() {
        assertThat(UidRegistry.lookup(UID.ExplicitVRBigEndian).retired()).isTrue();
    }

    @Test
    void unknownUid() {
        assertThat(UidRegistry.lookup("1.2.3.4")).isNull();
        assertThat(UidRegistry.nameOf("1.2.3.4")).isEqualTo("1.2.3.4");
        assertThat(UidRegistry.nameOf(UID.CTImageStorage)).isEqualTo("CT Image Storage");
    }

    @Test
    void transferSyntaxesByType() {
        assertThat(UidRegistry.ofType("Transfer Syntax"))
                .extracting(UidEntry::uid)
                .contains(UID.ImplicitVRLittleEndian, UID.ExplicitVRLittleEndian)
                .doesNotContain(UID.CTImageStorage);
        assertThat(UidRegistry.ofType("No Such Type")).isEmpty();
    }

    @Test
    void storageSopClasses() {
        assertThat(UidRegistry.storageSopClasses())
                .hasSizeGreaterThan(100)
                .isSorted()
                .contains(UID.CTImageStorage,
                        UID.DigitalXRayImageStorageForPresentation,
                        UID.DigitalXRayImageStorageForProcessing)
                .doesNotContain(UID.Verification, UID.StorageCommitmentPushModel);
    }
}
