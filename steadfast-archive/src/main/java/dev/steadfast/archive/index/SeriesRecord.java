package dev.steadfast.archive.index;

/** Series-level attributes as indexed. */
public record SeriesRecord(String seriesUid, String modality, Integer seriesNumber, String description,
                           String bodyPart) {
}
