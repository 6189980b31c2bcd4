package dev.steadfast.net.pdu;

/** A protocol data unit of the DICOM upper layer (PS3.8 section 9.3). */
public sealed interface Pdu permits AAssociateRq, AAssociateAc, AAssociateRj, PDataTf, AReleaseRq, AReleaseRp, AAbort {
    int A_ASSOCIATE_RQ = 0x01;
    int A_ASSOCIATE_AC = 0x02;
    int A_ASSOCIATE_RJ = 0x03;
    int P_DATA_TF = 0x04;
    int A_RELEASE_RQ = 0x05;
    int A_RELEASE_RP = 0x06;
    int A_ABORT = 0x07;

    /** PDU-type byte. */
    int type();

    /** Encodes the variable part (everything after the 6-byte PDU header). */
    void writeBody(PduOutput out);
}
