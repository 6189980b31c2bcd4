package dev.steadfast.dicom.io;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Implementation;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.VR;

/** Builds the File Meta Information group (PS3.10 7.1) for a data set. */
public final class FileMetaBuilder {
    private FileMetaBuilder() {}

    /**
     * @param sourceAeTitle the AE title that sent the data set, or null
     */
    public static Dataset build(Dataset ds, String transferSyntaxUid, String sourceAeTitle) {
        String sopClass = ds.getString(Tag.SOPClassUID);
        String sopInstance = ds.getString(Tag.SOPInstanceUID);
        Dataset meta = new Dataset();
        meta.setBytes(Tag.FileMetaInformationVersion, VR.OB, new byte[] {0, 1});
        meta.setString(Tag.MediaStorageSOPClassUID, VR.UI, sopClass == null ? "" : sopClass);
        meta.setString(Tag.MediaStorageSOPInstanceUID, VR.UI, sopInstance == null ? "" : sopInstance);
        meta.setString(Tag.TransferSyntaxUID, VR.UI, transferSyntaxUid);
        meta.setString(Tag.ImplementationClassUID, VR.UI, Implementation.CLASS_UID);
        meta.setString(Tag.ImplementationVersionName, VR.SH, Implementation.VERSION_NAME);
        if (sourceAeTitle != null && !sourceAeTitle.isBlank()) {
            meta.setString(Tag.SourceApplicationEntityTitle, VR.AE, sourceAeTitle);
        }
        return meta;
    }
}
