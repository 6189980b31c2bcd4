package dev.steadfast.server;

import dev.steadfast.server.cli.DumpCommand;
import dev.steadfast.server.cli.ImportCommand;
import dev.steadfast.server.cli.ReindexCommand;
import dev.steadfast.server.cli.ReconcileCommand;
import dev.steadfast.server.cli.VerifyCommand;
import dev.steadfast.server.cli.ServeCommand;
import dev.steadfast.server.cli.VersionProvider;
import dev.steadfast.server.cli.net.EchoCommand;
import dev.steadfast.server.cli.net.FindCommand;
import dev.steadfast.server.cli.net.GetCommand;
import dev.steadfast.server.cli.net.MoveCommand;
import dev.steadfast.server.cli.net.SendCommand;
import dev.steadfast.server.cli.user.UserCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/** The {@code steadfast} command: one subcommand per task, each in {@code dev.steadfast.server.cli}. */
@Command(name = "steadfast",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Steadfast: a medical-imaging archive (PACS) that keeps images reachable through failures.",
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {
                ServeCommand.class,
                DumpCommand.class,
                EchoCommand.class,
                SendCommand.class,
                FindCommand.class,
                GetCommand.class,
                MoveCommand.class,
                VerifyCommand.class, ReindexCommand.class, ReconcileCommand.class,
                ImportCommand.class,
                UserCommand.class,
                HelpCommand.class,
        })
public final class Main implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a command is required");
    }

    public static void main(String[] args) {
        // slf4j-simple (the archive's logs) to stderr, with time; set before the first logger exists.
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
        System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSZ");
        System.setProperty("org.slf4j.simpleLogger.log.com.zaxxer.hikari", "warn");
        System.setProperty("org.slf4j.simpleLogger.log.org.flywaydb", "warn");
        // UTF-8 whatever the locale: decoded names and JSON must survive a C/POSIX locale.
        PrintWriter out = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.out),
                StandardCharsets.UTF_8));
        PrintWriter err = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.err),
                StandardCharsets.UTF_8), true);
        if (args.length > 0 && args[0].equals("serve")) {
            warmDictionaries();
        }
        int code = execute(out, err, args);
        out.flush();
        System.exit(code);
    }

    /**
     * Builds the DICOM data dictionary and UID registry on a second thread while the main thread parses the
     * command line and wires the node (issue 19: otherwise the first association parses them, 5 % of the start-up's
     * CPU samples, on the start-up's critical path). Both are immutable once built.
     */
    private static void warmDictionaries() {
        Thread.ofPlatform().daemon().name("steadfast-dictionaries").start(() -> {
            dev.steadfast.dicom.dictionary.ElementDictionary.lookup(dev.steadfast.dicom.Tag.PatientID);
            dev.steadfast.dicom.dictionary.UidRegistry.lookup("1.2.840.10008.1.1");
        });
    }

    /** Runs one command line with the given streams and returns its exit code (2 for usage errors). */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        // serve's start-up (issue 19): picocli reflects over every subcommand it is given; serve needs only itself.
        CommandLine cl = new CommandLine(args.length > 0 && args[0].equals("serve") ? new ServeOnly() : new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler(Main::usageError);
        try {
            return cl.execute(args);
        } finally {
            out.flush();
        }
    }

    /** The same top-level command with only {@code serve} under it, so that starting a node does not build the other commands. */
    @Command(name = "steadfast",
            mixinStandardHelpOptions = true,
            versionProvider = VersionProvider.class,
            description = "Steadfast: a medical-imaging archive (PACS) that keeps images reachable through failures.",
            synopsisSubcommandLabel = "COMMAND",
            subcommands = {ServeCommand.class, HelpCommand.class})
    static final class ServeOnly implements Runnable {
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            throw new ParameterException(spec.commandLine(), "a command is required");
        }
    }

    /** One clear line and a pointer to help, instead of the whole usage text. */
    private static int usageError(ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        PrintWriter err = cl.getErr();
        cl.getOut().flush();
        String message = e.getMessage();
        if (e instanceof UnmatchedArgumentException u && !cl.getSubcommands().isEmpty()
                && !u.getUnmatched().isEmpty() && !u.getUnmatched().getFirst().startsWith("-")) {
            message = "unknown command '" + u.getUnmatched().getFirst() + "' (commands: "
                    + String.join(", ", cl.getSubcommands().keySet()) + ")";
        }
        err.println(cl.getCommandSpec().qualifiedName() + ": " + message);
        err.println("Try '" + cl.getCommandSpec().qualifiedName() + " --help' for more information.");
        return cl.getCommandSpec().exitCodeOnInvalidInput();
    }
}
