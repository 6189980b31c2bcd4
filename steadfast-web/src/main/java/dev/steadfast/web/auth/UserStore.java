package dev.steadfast.web.auth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in users of one {@link UserFile}, re-read when the file changes, so {@code steadfast
 * user add} needs no restart. A file that turns unreadable or malformed keeps the users read before.
 */
public final class UserStore {
    private static final Logger LOG = LoggerFactory.getLogger(UserStore.class);

    private final Path file;
    private volatile Map<String, UserFile.User> users;
    private volatile FileTime loadedVersion;
    /** Bumped on every re-read, so what was remembered about the old users can be forgotten. */
    private volatile int generation;

    /** Reads {@code file} now: a missing or malformed file stops serve from starting. */
    public UserStore(Path file) throws IOException {
        this.file = file;
        this.loadedVersion = Files.getLastModifiedTime(file);
        this.users = UserFile.read(file);
        if (users.isEmpty()) {
            LOG.warn("HTTP user file {} has no users: every request will be refused; add one with 'steadfast user add'", file);
        }
    }

    /** The users as the file says now. */
    public Map<String, UserFile.User> users() {
        reloadIfChanged();
        return users;
    }

    int generation() {
        return generation;
    }

    private void reloadIfChanged() {
        try {
            FileTime t = Files.getLastModifiedTime(file);
            if (!t.equals(loadedVersion)) {
                synchronized (this) {
                    if (!t.equals(loadedVersion)) {
                        users = UserFile.read(file);
                        generation++;
                        loadedVersion = t;
                        LOG.info("HTTP user file {} re-read: {} users", file, users.size());
                    }
                }
            }
        } catch (IOException e) {
            LOG.warn("HTTP user file {} cannot be read, keeping the users read before: {}", file, e.getMessage());
        }
    }
}
