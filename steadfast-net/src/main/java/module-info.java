/** DICOM upper layer (PS3.8) and DIMSE (PS3.7): associations, SCU and SCP, TLS. Depends on the core and the JDK alone. */
module dev.steadfast.net {
    requires transitive dev.steadfast.dicom;
    requires jdk.net; // TCP_QUICKACK (QuickAckInputStream)

    exports dev.steadfast.net.pdu;
    exports dev.steadfast.net.assoc;
    exports dev.steadfast.net.dimse;
}
