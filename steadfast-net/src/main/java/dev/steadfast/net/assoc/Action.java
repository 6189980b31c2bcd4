package dev.steadfast.net.assoc;

/** Actions of the upper layer state machine (PS3.8 tables 9-6 to 9-9). */
public enum Action {
    AE_1("Issue TRANSPORT CONNECT request"),
    AE_2("Send A-ASSOCIATE-RQ PDU"),
    AE_3("Issue A-ASSOCIATE confirmation (accept)"),
    AE_4("Issue A-ASSOCIATE confirmation (reject) and close transport connection"),
    AE_5("Issue transport connection response; start ARTIM timer"),
    AE_6("Stop ARTIM timer; if A-ASSOCIATE-RQ acceptable issue A-ASSOCIATE indication, otherwise send A-ASSOCIATE-RJ PDU and start ARTIM timer"),
    AE_7("Send A-ASSOCIATE-AC PDU"),
    AE_8("Send A-ASSOCIATE-RJ PDU and start ARTIM timer"),
    DT_1("Send P-DATA-TF PDU"),
    DT_2("Issue P-DATA indication"),
    AR_1("Send A-RELEASE-RQ PDU"),
    AR_2("Issue A-RELEASE indication"),
    AR_3("Issue A-RELEASE confirmation and close transport connection"),
    AR_4("Send A-RELEASE-RP PDU and start ARTIM timer"),
    AR_5("Stop ARTIM timer"),
    AR_6("Issue P-DATA indication"),
    AR_7("Send P-DATA-TF PDU"),
    AR_8("Issue A-RELEASE indication (release collision)"),
    AR_9("Send A-RELEASE-RP PDU"),
    AR_10("Issue A-RELEASE confirmation"),
    AA_1("Send A-ABORT PDU (service-user source) and start (or restart) ARTIM timer"),
    AA_2("Stop ARTIM timer if running; close transport connection"),
    AA_3("Issue A-ABORT or A-P-ABORT indication and close transport connection"),
    AA_4("Issue A-P-ABORT indication"),
    AA_5("Stop ARTIM timer"),
    AA_6("Ignore PDU"),
    AA_7("Send A-ABORT PDU"),
    AA_8("Send A-ABORT PDU (service-provider source), issue A-P-ABORT indication, start ARTIM timer");

    private final String description;

    Action(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    /** The standard's spelling, e.g. {@code AE-1}. */
    @Override
    public String toString() {
        return name().replace('_', '-');
    }
}
