package dev.steadfast.web.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HTTP Basic (RFC 7617) over the built-in {@link UserFile}, for one machine without an identity
 * provider. The file is re-read when it changes, so {@code steadfast user add} needs no restart.
 *
 * <p>PBKDF2 costs a good fraction of a second on purpose, so: a verified user and password are
 * remembered for a few minutes (by an HMAC under a key that lives only in memory, never the
 * password), so a viewer's hundreds of requests cost one hash; at most a few hashes run at once,
 * so wrong passwords cannot take every core from the threads that answer DICOM and {@code /health};
 * and an unknown user costs a hash too, so timing does not tell which names exist.
 */
public final class BasicUsers implements Authenticator {
    private static final long REMEMBER_NANOS = TimeUnit.MINUTES.toNanos(5);
    private static final int REMEMBERED_MAX = 10_000;
    private static final String DUMMY = PasswordHash.hash("not a password".toCharArray());

    private final UserStore store;
    private final Semaphore hashing = new Semaphore(Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
    private final Map<String, Remembered> remembered = new ConcurrentHashMap<>();
    private final byte[] cacheKey = new byte[32];
    private volatile int rememberedGeneration;

    /** @param generation of the user file it was verified against: a re-read file forgets it */
    private record Remembered(Principal principal, long until, int generation) {
    }

    public BasicUsers(UserStore store) {
        this.store = store;
        new SecureRandom().nextBytes(cacheKey);
    }

    @Override
    public String scheme() {
        return "Basic";
    }

    @Override
    public String challenge(String error, boolean insufficientRole) {
        return "Basic realm=\"steadfast\", charset=\"UTF-8\"";
    }

    @Override
    public Principal authenticate(String credentials) throws AuthenticationException {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(credentials.strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new AuthenticationException("Basic credentials are not Base64");
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            throw new AuthenticationException("Basic credentials need user:password");
        }
        String name = decoded.substring(0, colon);
        store.users(); // picks up a changed file first
        // Read before the users: a result is never tagged newer than the users it was checked against.
        int generation = store.generation();
        Map<String, UserFile.User> users = store.users();
        if (rememberedGeneration != generation) {
            remembered.clear(); // a removed user or changed password takes effect now (and frees memory)
            rememberedGeneration = generation;
        }
        String key = fingerprint(decoded);
        Remembered r = remembered.get(key);
        if (r != null && r.generation() == generation && System.nanoTime() - r.until() < 0) {
            return r.principal();
        }
        UserFile.User user = users.get(name);
        char[] password = decoded.substring(colon + 1).toCharArray();
        boolean isPassword = user != null && user.hash().startsWith(PasswordHash.PREFIX + "$");
        // An unknown user or an API-token entry still costs one hash: timing tells nothing.
        boolean ok = verify(password, isPassword ? user.hash() : DUMMY) && isPassword;
        if (!ok) {
            throw new AuthenticationException("unknown user or wrong password");
        }
        Principal p = new Principal(user.name(), user.roles(), "Basic");
        if (remembered.size() >= REMEMBERED_MAX) {
            remembered.clear();
        }
        remembered.put(key, new Remembered(p, System.nanoTime() + REMEMBER_NANOS, generation));
        return p;
    }

    private boolean verify(char[] password, String hash) throws AuthenticationException {
        try {
            if (!hashing.tryAcquire(10, TimeUnit.SECONDS)) {
                throw new AuthenticationException("too many logins at once, try again", true, null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AuthenticationException("interrupted", true, e);
        }
        try {
            return PasswordHash.matches(password, hash);
        } finally {
            hashing.release();
        }
    }

    private String fingerprint(String userAndPassword) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(cacheKey, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(userAndPassword.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
