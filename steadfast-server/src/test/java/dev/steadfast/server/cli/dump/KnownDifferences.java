package dev.steadfast.server.cli.dump;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Where our listing knowingly differs from dcmdump's, and why. Each entry names the files it
 * applies to and matches the difference text as {@link DcmdumpOracleTest} words it. An entry
 * that no longer matches in one of its files fails the test, so the list cannot grow stale.
 */
final class KnownDifferences {
    record Known(List<String> files, Pattern pattern, String reason) {
        Known(List<String> files, String regex, String reason) {
            this(List.copyOf(files), Pattern.compile(regex), reason);
        }

        boolean explains(String difference) {
            return pattern.matcher(difference).find();
        }
    }

    static final List<Known> ALL = List.of(
            new Known(List.of("ct/dicomParser__CT1_UNC.implicit_little_endian.dcm"),
                    // a private element (odd group) at top level
                    "^ds/\\([0-9a-f]{3}[13579bdf],[0-9a-f]{4}\\): VR: dcmdump \\w\\w, ours UN$",
                    "Implicit VR: dcmtk types the GEMS private elements from its private dictionary; we have "
                            + "no private dictionary and keep them as UN, as PS3.5 6.2.2 says for unknown VRs."),
            new Known(List.of("ct/pydicom-data__explicit_VR-UN.dcm", "ct/fo-dicom__D_CLUNIE_CT1_RLE_FRAGS.dcm",
                    "mr/pydicom-data__emri_small_jpeg_ls_lossless.dcm", "mr/pydicom-data__emri_small_jpeg_2k_lossless.dcm"),
                    "^ds/\\(7fe0,0010\\): VR: dcmdump OB, ours OW$",
                    "These files declare encapsulated Pixel Data as OW; dcmtk corrects it to OB (PS3.5 A.4), "
                            + "we keep the VR as found so that a rewrite gives the same bytes."),
            new Known(List.of("ct/fo-dicom__GH177_D_CLUNIE_CT1_IVRLE_BigEndian_undefined_length.dcm"),
                    "^ds/\\(0008,2112\\): VR: dcmdump SQ, ours UN$",
                    "A CP-246 sequence: VR UN with undefined length. Both read its items; dcmtk reports the "
                            + "dictionary VR SQ, we keep UN as found so that a rewrite gives the same bytes."),
            new Known(List.of("rt/fo-dicom__RI6XDosiGap.dcm"), "^ds/\\(5000,3000\\): VR: dcmdump OB, ours OW$",
                    "Implicit VR Curve Data (50xx,3000) is OB or OW in PS3.6; dcmtk picks OB, we read "
                            + "implicit-VR OB-or-OW values as OW (PS3.5 A.1).")
    );

    private KnownDifferences() {}

    static List<String> unexplained(String file, List<String> differences) {
        return differences.stream()
                .filter(d -> ALL.stream().noneMatch(k -> k.files().contains(file) && k.explains(d)))
                .map(d -> file + ": " + d)
                .toList();
    }
}
