package dev.steadfast.web.wado;

import dev.steadfast.archive.index.StoredInstance;
import dev.steadfast.archive.retrieve.RetrieveRequest;
import dev.steadfast.archive.storage.StorageKey;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.io.DicomReader;
import dev.steadfast.dicom.io.ReadOptions;
import dev.steadfast.testing.Corpus;
import dev.steadfast.web.testing.Http;
import dev.steadfast.web.testing.TestArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * WADO-RS study retrieve of instances sent as stored: every part is byte for byte the stored file,
 * on the first read (checked by SHA-256 through the stream) and on later ones (read from the file
 * into a direct buffer and checked by CRC32C); a copy damaged after its first read never comes
 * back as a complete, good-looking answer.
 */
class StoredBytesRetrieveTest {
    static final String CT_IMPLICIT = "ct/dicompyler__ct.0.dcm";
    static final String CT_JLS = "ct/dicomParser__CT1_UNC.fragmented_bot_jpeg_ls.80.dcm";
    static final String US_RGB = "us/pydicom-data__US1_UNCR.dcm";
    static final String US_JPEG = "us/dicomParser__IM00001.fragmented_no_bot_jpeg_baseline.50.dcm";
    static final String AS_STORED = "multipart/related; type=\"application/dicom\"; transfer-syntax=*";
    static final String DEFAULT = "multipart/related; type=\"application/dicom\"";

    private static TestArchive archive;

    @BeforeAll
    static void store() throws Exception {
        archive = new TestArchive();
        for (String f : List.of(CT_IMPLICIT, CT_JLS, US_RGB, US_JPEG)) {
            try (InputStream in = Files.newInputStream(Corpus.root().resolve(f))) {
                archive.ingest.storePart10(in, "TEST");
            }
        }
    }

    @AfterAll
    static void close() throws Exception {
        archive.close();
    }

    @ParameterizedTest(name = "{0}, Accept {1}")
    @CsvSource(delimiter = '|', value = {
            CT_IMPLICIT + "|" + AS_STORED,
            CT_JLS + "|" + AS_STORED,
            CT_JLS + "|" + DEFAULT, // lossless: decoded for the default syntax (the stream path)
            US_RGB + "|" + AS_STORED,
            US_JPEG + "|" + AS_STORED,
            US_JPEG + "|" + DEFAULT}) // lossy: kept as stored under the default syntax (PS3.18 8.7.3)
    void everyPartIsTheStoredFileOnTheFirstAndLaterReads(String file, String accept) throws Exception {
        String study = studyOf(file);
        List<byte[]> stored = storedFiles(study);
        for (int round = 0; round < 3; round++) {
            HttpResponse<byte[]> r = Http.get(URI.create(archive.base() + "/studies/" + study), "Accept", accept);
            assertThat(r.statusCode()).as(Http.text(r)).isEqualTo(200);
            List<byte[]> parts = Http.parts(r);
            if (accept.equals(DEFAULT) && file.equals(CT_JLS)) {
                // lossless JPEG-LS is decoded for the default syntax: not the stored bytes, and not this path
                assertThat(parts).hasSameSizeAs(stored);
                continue;
            }
            assertThat(parts).as("round %d", round).hasSameSizeAs(stored);
            for (int i = 0; i < parts.size(); i++) {
                assertThat(parts.get(i)).as("round %d, part %d", round, i).isEqualTo(stored.get(i));
            }
        }
    }

    @Test
    void aCopyDamagedAfterItsFirstReadIsNotServedAsGood() throws Exception {
        try (TestArchive own = new TestArchive(); InputStream in = Files.newInputStream(Corpus.root().resolve(US_RGB))) {
            own.ingest.storePart10(in, "TEST");
            String study = studyOf(US_RGB);
            URI uri = URI.create(own.base() + "/studies/" + study);
            assertThat(Http.get(uri, "Accept", AS_STORED).statusCode()).isEqualTo(200); // verified in full, remembered
            Path file = storedPaths(own, study).getFirst();
            byte[] damaged = Files.readAllBytes(file);
            damaged[damaged.length / 2] ^= 0x01;
            Files.write(file, damaged);
            for (int round = 0; round < 2; round++) {
                try {
                    HttpResponse<byte[]> r = Http.get(uri, "Accept", AS_STORED);
                    boolean servedDamaged = r.statusCode() == 200
                            && Http.parts(r).stream().anyMatch(p -> Arrays.equals(p, damaged));
                    assertThat(servedDamaged).as("round %d: status %d", round, r.statusCode()).isFalse();
                } catch (IOException e) {
                    // the body was cut off: the client knows it did not get the instance
                }
            }
        }
    }

    private static String studyOf(String file) throws IOException {
        return DicomReader.readFile(Corpus.root().resolve(file), ReadOptions.headerOnly()).dataset().getString(Tag.StudyInstanceUID);
    }

    private static List<Path> storedPaths(TestArchive a, String study) {
        List<Path> out = new ArrayList<>();
        for (StoredInstance i : a.retrieve.locate(RetrieveRequest.study(study))) {
            out.add(a.storage.pathOf(new StorageKey(i.record().storageKey())));
        }
        return out;
    }

    private static List<byte[]> storedFiles(String study) throws IOException {
        List<byte[]> out = new ArrayList<>();
        for (Path p : storedPaths(archive, study)) {
            out.add(Files.readAllBytes(p));
        }
        return out;
    }
}
