/**
 * Main, configuration, CLI and wiring. Nothing depends on this module, so it exports nothing;
 * picocli reads and sets the command classes' annotated fields by reflection.
 */
module dev.steadfast.server {
    requires dev.steadfast.dicom;
    requires dev.steadfast.net;
    requires dev.steadfast.imaging;
    requires dev.steadfast.archive;
    requires dev.steadfast.web;
    requires info.picocli;
    requires me.tongfei.progressbar;
    requires org.snakeyaml.engine;
    requires org.slf4j;
    requires hapi.base; // HL7 v2 and MLLP (issue 18)
    requires java.net.http; // forwarding with STOW-RS, and the peer site's inventory, WADO-RS and STOW-RS (issue 17)

    opens dev.steadfast.server to info.picocli;
    opens dev.steadfast.server.cli to info.picocli;
    opens dev.steadfast.server.cli.net to info.picocli;
    opens dev.steadfast.server.cli.storage to info.picocli;
    opens dev.steadfast.server.cli.user to info.picocli;
}
