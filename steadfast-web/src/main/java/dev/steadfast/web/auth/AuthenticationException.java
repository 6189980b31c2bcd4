package dev.steadfast.web.auth;

/**
 * Credentials that prove nothing: missing, malformed, expired, for another audience, badly signed.
 * The message goes to the client (RFC 6750 {@code error_description}), so it names what is wrong
 * with the credentials and never echoes them.
 */
public final class AuthenticationException extends Exception {
    /** True when the credentials could not be checked (identity provider unreachable): 503, not 401. */
    private final boolean unavailable;

    public AuthenticationException(String message) {
        this(message, false, null);
    }

    public AuthenticationException(String message, boolean unavailable, Throwable cause) {
        super(message, cause);
        this.unavailable = unavailable;
    }

    public boolean unavailable() {
        return unavailable;
    }
}
