package dev.steadfast.archive.storage;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Where an instance lives in storage, derived from its UID chain alone so that storage can be
 * read (and the index rebuilt) without a database: {@code <study>/<series>/<sop>.dcm}.
 * A conformant UID (digits and dots, at most 64 characters) is used as it is; anything else
 * (too long, illegal characters, {@code .} or {@code ..}) becomes {@code h-} and the SHA-256
 * of the UID, which can never collide with a plain UID and never escapes the storage root.
 *
 * @param path relative path with {@code /} separators
 */
public record StorageKey(String path) {
    private static final Pattern PLAIN_UID = Pattern.compile("[0-9][0-9.]{0,63}");

    public StorageKey {
        if (path == null || path.isEmpty() || path.startsWith("/") || path.contains("..") || path.contains("\\")) {
            throw new IllegalArgumentException("invalid storage key: " + path);
        }
    }

    public static StorageKey of(String studyUid, String seriesUid, String sopInstanceUid) {
        return new StorageKey(segment(studyUid) + "/" + segment(seriesUid) + "/" + segment(sopInstanceUid) + ".dcm");
    }

    /** The prefix of every key of a study ({@code <study>/}): what a study deletion covers. */
    public static String studyPrefix(String studyUid) {
        return segment(studyUid) + "/";
    }

    static String segment(String uid) {
        if (uid == null || uid.isEmpty()) {
            throw new IllegalArgumentException("UID is required for a storage key");
        }
        if (PLAIN_UID.matcher(uid).matches() && !uid.contains("..")) {
            return uid;
        }
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(uid.getBytes(StandardCharsets.UTF_8));
            return "h-" + HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() { return path; }
}
