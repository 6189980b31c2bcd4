package dev.steadfast.bench.data;

import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;

/** One generated study: who, when, what, and its series (instances are made on demand). */
public record StudyPlan(int index, Patient patient, String studyUid, LocalDate date, LocalTime time, String accession,
                        String studyId, String description, String referringPhysician, String institution,
                        List<SeriesPlan> series) {

    public record Patient(int index, String id, String name, LocalDate birthDate, String sex) {
        /** True when the name needs a character set beyond the default repertoire. */
        public boolean utf8() {
            return !Names.isAscii(name);
        }
    }

    /**
     * @param sopClassUid storage SOP class of every instance of the series
     * @param rows        image rows; columns are {@code columns}
     */
    public record SeriesPlan(int number, String seriesUid, String modality, String sopClassUid, String description,
                             String bodyPart, int rows, int columns, int instances) {
        /** Bytes of one instance's pixel data (16 bits per sample). */
        public long pixelBytes() {
            return 2L * rows * columns;
        }
    }

    public int instances() {
        return series.stream().mapToInt(SeriesPlan::instances).sum();
    }

    public String modalities() {
        return String.join("\\", series.stream().map(SeriesPlan::modality).distinct().sorted().toList());
    }
}
