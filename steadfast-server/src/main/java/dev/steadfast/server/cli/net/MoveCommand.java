package dev.steadfast.server.cli.net;

import dev.steadfast.net.dimse.ClientOptions;
import dev.steadfast.net.dimse.DimseClient;
import dev.steadfast.net.dimse.DimseResponse;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "move", mixinStandardHelpOptions = true, customSynopsis = "steadfast move AE@host:port --dest AE [OPTIONS] [-k KEYWORD[=VALUE]]...",
        description = "Asks a peer to send matching instances to another AE (C-MOVE).")
public final class MoveCommand implements Callable<Integer> {
    @Mixin
    PeerArgument target;

    private RemoteAe peer;

    @Option(names = "--dest", required = true, paramLabel = "AE", description = "The move destination AE title, as the peer knows it.")
    String destination;

    @Mixin
    QueryOptions query;

    @Mixin
    AssociationOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        peer = target.peer(spec);
        try (DimseClient c = DimseClient.open(peer.host(), peer.port(),
                options.clientOptions(peer).propose(query.moveSopClass(), ClientOptions.UNCOMPRESSED));
             CancelOnInterrupt cancel = new CancelOnInterrupt(c, spec.commandLine().getErr())) {
            DimseResponse r = c.move(query.moveSopClass(), destination, query.identifier(),
                    p -> {
                        if (System.console() != null) {
                            spec.commandLine().getErr().printf("\r%d remaining, %d completed, %d failed ", p.remaining(), p.completed(), p.failed());
                        }
                    });
            spec.commandLine().getOut().printf("C-MOVE to %s: %s; %d completed, %d failed, %d warnings%s%n", destination, r,
                    r.completed(), r.failed(), r.warning(), Failures.notDone(r));
            spec.commandLine().getOut().flush(); // before the Ctrl-C hook lets the JVM exit
            return r.status().isSuccess() ? Failures.OK : Failures.FAILED;
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("error: " + e.getMessage());
            return 2;
        } catch (Exception e) {
            return Failures.report(spec.commandLine().getErr(), peer, e);
        }
    }
}
