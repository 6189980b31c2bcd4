package dev.steadfast.server.cli.user;

import dev.steadfast.web.auth.ApiTokens;
import dev.steadfast.web.auth.PasswordHash;
import dev.steadfast.web.auth.Role;
import dev.steadfast.web.auth.UserFile;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code steadfast user add|token|remove|list}: the built-in HTTP user store ({@code http.auth.users-file}).
 * Passwords are read from the terminal (or stdin) and only their PBKDF2 hash is written; a running
 * serve picks the change up without a restart.
 */
@Command(name = "user", mixinStandardHelpOptions = true,
        description = {"Manages the built-in HTTP users (HTTP Basic) and API tokens (Bearer sf_...), kept as hashes in"
                + " the file that http.auth.users-file names. A running serve re-reads the file on change.",
                "Exit status: 0 done, 1 failed, 2 usage error."},
        subcommands = {UserCommand.Add.class, UserCommand.Token.class, UserCommand.Remove.class, UserCommand.ListUsers.class})
public final class UserCommand {
    private static final int MIN_PASSWORD = 12;

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Adds a user, or replaces the password and roles of an existing one.")
    static final class Add implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @picocli.CommandLine.Mixin
        FileOptionMixin where;
        @picocli.CommandLine.Mixin
        RolesOptionMixin roles;
        @Option(names = "--password-stdin", description = "Read the password from the first line of stdin (for scripts).")
        boolean passwordStdin;
        @Parameters(paramLabel = "NAME", description = "User name (A-Z a-z 0-9 . _ @ -).")
        String name;

        @Override
        public Integer call() throws Exception {
            PrintWriter err = spec.commandLine().getErr();
            Set<Role> parsed = roles.parse("add", name, "user name", err);
            if (parsed == null) {
                return 2;
            }
            char[] password = passwordStdin ? fromStdin() : fromConsole(err);
            if (password == null) {
                return 1;
            }
            try {
                if (password.length < MIN_PASSWORD) {
                    err.println("steadfast user add: the password must have at least " + MIN_PASSWORD + " characters");
                    return 1;
                }
                boolean replaced = where.put(new UserFile.User(name, parsed, PasswordHash.hash(password)));
                spec.commandLine().getOut().println((replaced ? "updated " : "added ") + name + " (" + roles.text + ") in " + where.file);
                return 0;
            } finally {
                Arrays.fill(password, '\0');
            }
        }

        private static char[] fromStdin() throws IOException {
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            return line == null ? new char[0] : line.toCharArray();
        }

        private char[] fromConsole(PrintWriter err) {
            Console c = System.console();
            if (c == null) {
                err.println("steadfast user add: no terminal to read the password from; use --password-stdin");
                return null;
            }
            char[] first = c.readPassword("Password for %s: ", name);
            char[] again = c.readPassword("Again: ");
            if (first == null || again == null || !Arrays.equals(first, again)) {
                err.println("steadfast user add: the passwords differ");
                return null;
            }
            Arrays.fill(again, '\0');
            return first;
        }
    }

    @Command(name = "token", mixinStandardHelpOptions = true,
            description = {"Makes an API token (for scripts, Prometheus), sent as 'Authorization: Bearer sf_...'.",
                    "Prints the token once on stdout; the file keeps only its SHA-256. Replaces the entry NAME had."})
    static final class Token implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @picocli.CommandLine.Mixin
        FileOptionMixin where;
        @picocli.CommandLine.Mixin
        RolesOptionMixin roles;
        @Parameters(paramLabel = "NAME", description = "Who the token is for (A-Z a-z 0-9 . _ @ -), e.g. prometheus.")
        String name;

        @Override
        public Integer call() throws Exception {
            PrintWriter err = spec.commandLine().getErr();
            Set<Role> parsed = roles.parse("token", name, "name", err);
            if (parsed == null) {
                return 2;
            }
            String token = ApiTokens.newToken();
            where.put(new UserFile.User(name, parsed, ApiTokens.hash(token)));
            spec.commandLine().getOut().println(token);
            err.println("API token for " + name + " (" + roles.text + ") written to " + where.file + "; it is shown only now");
            return 0;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Removes a user.")
    static final class Remove implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @picocli.CommandLine.Mixin
        FileOptionMixin where;
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() throws Exception {
            Map<String, UserFile.User> users = where.read();
            if (users.remove(name) == null) {
                spec.commandLine().getErr().println("steadfast user remove: no user " + name + " in " + where.file);
                return 1;
            }
            UserFile.write(where.file, users.values());
            spec.commandLine().getOut().println("removed " + name + " from " + where.file);
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists users and their roles (never passwords or tokens).")
    static final class ListUsers implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @picocli.CommandLine.Mixin
        FileOptionMixin where;

        @Override
        public Integer call() throws Exception {
            for (UserFile.User u : where.read().values()) {
                String kind = u.hash().startsWith(ApiTokens.HASH_PREFIX) ? "token" : "password";
                spec.commandLine().getOut().println(u.name() + "\t" + String.join(",", u.roles().stream().sorted().map(Role::claimName).toList())
                        + "\t" + kind);
            }
            return 0;
        }
    }

    /** {@code --roles}, shared by add and token. */
    static final class RolesOptionMixin {
        @Option(names = "--roles", required = true, paramLabel = "ROLES", description = "read, write, admin (comma-separated).")
        String text;

        /**
         * The roles, or null (a usage error, told on {@code err}) when they do not parse, are none,
         * or NAME is not a valid name.
         */
        Set<Role> parse(String subcommand, String name, String nameWord, PrintWriter err) {
            Set<Role> parsed;
            try {
                parsed = Role.parseList(text);
            } catch (IllegalArgumentException e) {
                err.println("steadfast user " + subcommand + ": " + e.getMessage());
                return null;
            }
            if (parsed.isEmpty() || !UserFile.validName(name)) {
                err.println("steadfast user " + subcommand + ": " + (parsed.isEmpty() ? "at least one role is needed (read, write, admin)"
                        : nameWord + " must be 1-64 of A-Z a-z 0-9 . _ @ -"));
                return null;
            }
            return parsed;
        }
    }

    /** {@code --users-file}, shared by the subcommands. */
    static final class FileOptionMixin {
        @Option(names = "--users-file", required = true, paramLabel = "FILE", description = "The user file (http.auth.users-file).")
        Path file;

        Map<String, UserFile.User> read() throws IOException {
            return Files.exists(file) ? new LinkedHashMap<>(UserFile.read(file)) : new LinkedHashMap<>();
        }

        /** Adds {@code user}, or replaces the entry of the same name (then true), and writes the file. */
        boolean put(UserFile.User user) throws IOException {
            Map<String, UserFile.User> users = read();
            boolean replaced = users.put(user.name(), user) != null;
            UserFile.write(file, users.values());
            return replaced;
        }
    }
}
