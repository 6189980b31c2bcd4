package dev.steadfast.server.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.dicom.io.DicomReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/** The data sets a dcmtk receiver (storescp, getscu, movescu) wrote to its folder, for retrieve tests that compare bytes. */
final class ReceivedDataSets {
    private ReceivedDataSets() {
    }

    /** The data sets in the folder's files (File Meta Information left out), by SOP Instance UID. */
    static Map<String, byte[]> in(Path dir) throws Exception {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path f : s.filter(Files::isRegularFile).toList()) {
                String sop;
                try (var in = new java.io.BufferedInputStream(Files.newInputStream(f))) {
                    sop = DicomReader.readFileMeta(in).mediaStorageSopInstanceUid();
                }
                byte[] b = Files.readAllBytes(f);
                // (0002,0000) File Meta Information Group Length: its value follows preamble, "DICM", tag, VR and length.
                int groupLength = (b[140] & 0xFF) | (b[141] & 0xFF) << 8 | (b[142] & 0xFF) << 16 | (b[143] & 0xFF) << 24;
                out.put(sop, Arrays.copyOfRange(b, 144 + groupLength, b.length));
            }
        }
        return out;
    }

    /** The same instances, each with exactly the stored data set's bytes. */
    static void assertSame(Map<String, byte[]> got, Map<String, byte[]> stored, String by) {
        assertThat(got.keySet()).as(by).containsExactlyInAnyOrderElementsOf(stored.keySet());
        for (Map.Entry<String, byte[]> e : stored.entrySet()) {
            assertThat(Arrays.equals(got.get(e.getKey()), e.getValue())).as("%s: data set of %s", by, e.getKey()).isTrue();
        }
    }
}
