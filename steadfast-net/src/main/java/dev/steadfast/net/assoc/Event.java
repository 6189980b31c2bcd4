package dev.steadfast.net.assoc;

/** Events of the upper layer state machine (PS3.8 table 9-2). */
public enum Event {
    Evt1("A-ASSOCIATE request (local user)"),
    Evt2("Transport connect confirmation (local transport service)"),
    Evt3("A-ASSOCIATE-AC PDU received"),
    Evt4("A-ASSOCIATE-RJ PDU received"),
    Evt5("Transport connection indication (local transport service)"),
    Evt6("A-ASSOCIATE-RQ PDU received"),
    Evt7("A-ASSOCIATE response primitive (accept)"),
    Evt8("A-ASSOCIATE response primitive (reject)"),
    Evt9("P-DATA request primitive"),
    Evt10("P-DATA-TF PDU received"),
    Evt11("A-RELEASE request primitive"),
    Evt12("A-RELEASE-RQ PDU received"),
    Evt13("A-RELEASE-RP PDU received"),
    Evt14("A-RELEASE response primitive"),
    Evt15("A-ABORT request primitive"),
    Evt16("A-ABORT PDU received"),
    Evt17("Transport connection closed indication"),
    Evt18("ARTIM timer expired"),
    Evt19("Unrecognized or invalid PDU received");

    private final String description;

    Event(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
