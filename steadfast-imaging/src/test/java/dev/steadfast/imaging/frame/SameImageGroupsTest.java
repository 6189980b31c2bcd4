package dev.steadfast.imaging.frame;

import dev.steadfast.dicom.io.DicomFile;
import dev.steadfast.dicom.io.DicomReader;
import dev.steadfast.imaging.ImageDescriptor;
import dev.steadfast.imaging.PixelData;
import dev.steadfast.imaging.Samples;
import dev.steadfast.testing.Corpus;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Corpus files holding the same image in different encodings decode to identical samples: native
 * layouts (big endian, implicit, 1-bit frames that are not byte aligned) against each other and
 * against compressed members of the group.
 */
class SameImageGroupsTest {

    @ParameterizedTest(name = "{0} == {1}")
    @CsvSource({
            "ct/dicomParser__CT1_UNC.explicit_little_endian.dcm, ct/dicomParser__CT1_UNC.explicit_big_endian.dcm",
            "ct/dicomParser__CT1_UNC.explicit_little_endian.dcm, ct/dicomParser__CT1_UNC.implicit_little_endian.dcm",
            "ct/dicomParser__CT1_UNC.explicit_little_endian.dcm, ct/fo-dicom__D_CLUNIE_CT1_RLE_FRAGS.dcm",
            "ct/dicomParser__CT1_UNC.explicit_little_endian.dcm, ct/dicomParser__CT1_UNC.fragmented_bot_jpeg_ls.80.dcm",
            "mr/pydicom-data__emri_small.dcm, mr/pydicom-data__emri_small_big_endian.dcm",
            "mr/pydicom-data__emri_small.dcm, mr/pydicom-data__emri_small_RLE.dcm",
            "mr/pydicom-data__emri_small.dcm, mr/pydicom-data__emri_small_jpeg_ls_lossless.dcm",
            "mr/pydicom-data__emri_small.dcm, mr/pydicom-data__emri_small_jpeg_2k_lossless.dcm",
            "mr/pydicom-data__MR2_UNCR.dcm, mr/pydicom-data__MR2_J2KR.dcm",
            "us/pydicom-data__US1_UNCR.dcm, us/pydicom-data__US1_J2KR.dcm",
            "seg_pm/pydicom-data__liver_nonbyte_aligned.dcm, seg_pm/pydicom-data__liver_nonbyte_aligned_rle.dcm"})
    void decodeToTheSameSamples(String a, String b) throws Exception {
        PixelData pa = open(a);
        PixelData pb = open(b);
        assertThat(pb.frameCount()).isEqualTo(pa.frameCount());
        ImageDescriptor da = pa.decodedDescriptor();
        ImageDescriptor db = pb.decodedDescriptor();
        for (int i = 0; i < pa.frameCount(); i++) {
            int[] sa = Samples.read(pa.decodedFrame(i), da);
            int[] sb = Samples.read(pb.decodedFrame(i), db);
            assertThat(java.util.Arrays.mismatch(sa, sb)).as("first differing sample of frame %d", i + 1).isEqualTo(-1);
        }
    }

    private static PixelData open(String name) throws Exception {
        DicomFile f = DicomReader.readFile(Corpus.root().resolve(name));
        return PixelData.of(f.dataset(), f.transferSyntaxUid());
    }
}
