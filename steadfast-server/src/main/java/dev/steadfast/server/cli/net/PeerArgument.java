package dev.steadfast.server.cli.net;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * The peer of echo, find, get and move (a picocli mixin): the first argument {@code AE@host:port},
 * the one form all network commands share; {@code --to AE@host:port} is accepted as well, the form
 * {@code send} used to require.
 */
public final class PeerArgument {
    @Parameters(index = "0", arity = "0..1", paramLabel = "AE@host:port", converter = RemoteAe.Converter.class,
            description = "The peer: its AE title, host and port.")
    RemoteAe positional;

    @Option(names = "--to", paramLabel = "AE@host:port", converter = RemoteAe.Converter.class,
            description = "The peer, instead of the first argument.")
    RemoteAe to;

    RemoteAe peer(CommandSpec spec) {
        if (positional != null && to != null && !positional.equals(to)) {
            throw new ParameterException(spec.commandLine(), "two peers given: " + positional + " and --to " + to);
        }
        if (positional == null && to == null) {
            throw new ParameterException(spec.commandLine(), "missing the peer, AE@host:port (the first argument)");
        }
        return positional != null ? positional : to;
    }
}
