package dev.steadfast.dicom.io;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;

/**
 * The File Meta Information (group 0002) of a Part 10 file, and where the data set starts.
 *
 * @param attributes    the group 0002 elements as found (empty when the file has none)
 * @param hasPreamble   whether the 128-byte preamble and "DICM" were present
 * @param datasetOffset byte offset of the first data set element in the file
 */
public record FileMeta(Dataset attributes, boolean hasPreamble, long datasetOffset) {

    public String transferSyntaxUid() { return attributes.getString(Tag.TransferSyntaxUID); }

    public String mediaStorageSopClassUid() { return attributes.getString(Tag.MediaStorageSOPClassUID); }

    public String mediaStorageSopInstanceUid() { return attributes.getString(Tag.MediaStorageSOPInstanceUID); }

    public String implementationClassUid() { return attributes.getString(Tag.ImplementationClassUID); }
}
