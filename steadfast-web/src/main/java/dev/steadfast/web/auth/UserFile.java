package dev.steadfast.web.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The built-in user store: a text file, one user a line, {@code NAME:ROLES:HASH}, e.g.
 * {@code alice:read,write:pbkdf2-sha256$600000$...$...}, or for an API token
 * {@code prometheus:read:token-sha256$...}; {@code #} starts a comment. Only hashes are kept, never a
 * password or token; {@code steadfast user add} and {@code steadfast user token} write it.
 */
public final class UserFile {
    /** Names are safe in a log line and in the file format. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");

    /** One user. */
    public record User(String name, Set<Role> roles, String hash) {
        public User {
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("user name must be 1-64 of A-Z a-z 0-9 . _ @ -: '" + name + "'");
            }
            roles = Set.copyOf(roles);
        }
    }

    private UserFile() {
    }

    public static boolean validName(String name) {
        return NAME.matcher(name).matches();
    }

    /** The users in {@code file} by name; a malformed line is an error naming its line number. */
    public static Map<String, User> read(Path file) throws IOException {
        Map<String, User> users = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split(":", 3);
            try {
                if (f.length != 3 || !(PasswordHash.wellFormed(f[2]) || ApiTokens.wellFormed(f[2]))) {
                    throw new IllegalArgumentException("expected NAME:ROLES:" + PasswordHash.PREFIX + "$... or NAME:ROLES:"
                            + ApiTokens.HASH_PREFIX + "$...");
                }
                users.put(f[0], new User(f[0], Role.parseList(f[1]), f[2]));
            } catch (IllegalArgumentException e) {
                throw new IOException(file + " line " + (i + 1) + ": " + e.getMessage());
            }
        }
        return users;
    }

    /** Writes {@code users} to {@code file} atomically, readable by its owner only. */
    public static void write(Path file, Iterable<User> users) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("# Steadfast HTTP users: NAME:ROLES:PASSWORD-HASH (written by 'steadfast user'; see docs/SECURITY.md)");
        for (User u : users) {
            lines.add(u.name() + ":" + String.join(",", u.roles().stream().sorted().map(Role::claimName).toList()) + ":" + u.hash());
        }
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".users", ".tmp");
        try {
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the directory's permissions are all there is
            }
            Files.write(tmp, lines, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
