package dev.steadfast.server.cli.net;

import dev.steadfast.net.assoc.AssociationConfig;
import dev.steadfast.net.dimse.ClientOptions;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Options every network command shares (a picocli mixin). */
public final class AssociationOptions {
    @Option(names = "--aet", defaultValue = "STEADFAST", description = "Calling AE title (default: ${DEFAULT-VALUE}).")
    String callingAeTitle;

    @Option(names = "--max-pdu", defaultValue = "65536", description = "Largest PDU we accept (default: ${DEFAULT-VALUE}).")
    int maxPdu;

    @Option(names = "--timeout", defaultValue = "60", description = "Seconds to wait for the peer (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    ClientOptions clientOptions(RemoteAe peer) {
        Duration t = Duration.ofSeconds(timeoutSeconds);
        AssociationConfig config = AssociationConfig.DEFAULTS.withMaxPduLengthReceive(maxPdu).withTimeouts(t, t, t, t);
        return new ClientOptions().callingAeTitle(callingAeTitle).calledAeTitle(peer.aeTitle()).config(config);
    }
}
