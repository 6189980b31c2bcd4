package dev.steadfast.server.cli.net;

import dev.steadfast.dicom.UID;
import dev.steadfast.net.dimse.DimseClient;
import dev.steadfast.net.dimse.DimseResponse;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "echo", mixinStandardHelpOptions = true, customSynopsis = "steadfast echo AE@host:port [OPTIONS]",
        description = "Checks that a DICOM peer answers (C-ECHO).")
public final class EchoCommand implements Callable<Integer> {
    @Mixin
    PeerArgument target;

    private RemoteAe peer;

    @Mixin
    AssociationOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        peer = target.peer(spec);
        long t0 = System.nanoTime();
        try (DimseClient c = DimseClient.open(peer.host(), peer.port(),
                options.clientOptions(peer).propose(UID.Verification, UID.ImplicitVRLittleEndian))) {
            DimseResponse r = c.echo();
            long ms = (System.nanoTime() - t0) / 1_000_000;
            if (!r.status().isSuccess()) {
                spec.commandLine().getErr().println("error: " + peer + ": C-ECHO answered " + r);
                return Failures.FAILED;
            }
            spec.commandLine().getOut().println("C-ECHO " + peer + ": success in " + ms + " ms");
            return Failures.OK;
        } catch (Exception e) {
            return Failures.report(spec.commandLine().getErr(), peer, e);
        }
    }
}
