package dev.steadfast.server.cli.net;

import java.util.List;

/** The network commands, for the root command's {@code subcommands} list. */
public final class NetCommands {
    public static final List<Class<?>> ALL = List.of(EchoCommand.class, SendCommand.class, FindCommand.class, GetCommand.class,
            MoveCommand.class);

    private NetCommands() {
    }
}
