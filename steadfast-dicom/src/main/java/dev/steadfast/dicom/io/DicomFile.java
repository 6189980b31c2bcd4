package dev.steadfast.dicom.io;

import dev.steadfast.dicom.Dataset;

/**
 * A parsed file: its meta information (possibly empty), the transfer syntax the data set was
 * read in (from the meta, or detected for files without one), and the data set.
 */
public record DicomFile(FileMeta meta, String transferSyntaxUid, Dataset dataset) {
}
