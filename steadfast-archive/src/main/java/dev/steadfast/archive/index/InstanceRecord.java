package dev.steadfast.archive.index;

/**
 * One stored instance: what it is, where its bytes are and their checksums.
 *
 * @param sha256        SHA-256 of the stored Part 10 object (what storage returned)
 * @param datasetSha256 SHA-256 of the data set bytes as received (identifies re-sends)
 * @param receivedAt    epoch milliseconds
 * @param metadata      the header (everything but bulk data), explicit VR little endian
 * @param pixelData     whether the object holds Pixel Data (7FE0,0010), seen at ingest; null when
 *                      not recorded (indexed before V7, or from a journal entry): read the object
 */
public record InstanceRecord(String sopUid, String sopClassUid, Integer instanceNumber, String transferSyntax,
                             String storageKey, long size, String sha256, String datasetSha256, long receivedAt,
                             String callingAe, byte[] metadata, Boolean pixelData) {

    /** A record whose Pixel Data is not known. */
    public InstanceRecord(String sopUid, String sopClassUid, Integer instanceNumber, String transferSyntax,
                          String storageKey, long size, String sha256, String datasetSha256, long receivedAt,
                          String callingAe, byte[] metadata) {
        this(sopUid, sopClassUid, instanceNumber, transferSyntax, storageKey, size, sha256, datasetSha256, receivedAt,
                callingAe, metadata, null);
    }
}
