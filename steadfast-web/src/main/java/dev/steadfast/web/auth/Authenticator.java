package dev.steadfast.web.auth;

/** Checks the credentials of one HTTP authentication scheme (RFC 9110 11). */
public interface Authenticator {
    /** The scheme, as it appears in {@code Authorization} and {@code WWW-Authenticate}: {@code Bearer}, {@code Basic}. */
    String scheme();

    /** Whether these credentials of the scheme are for this authenticator (two may share Bearer). */
    default boolean accepts(String credentials) {
        return true;
    }

    /**
     * The {@code WWW-Authenticate} challenge of a 401 (or of a 403 when {@code insufficientRole}).
     *
     * @param error the reason the credentials were refused, or null when none were sent
     */
    String challenge(String error, boolean insufficientRole);

    /**
     * @param credentials what follows the scheme in the {@code Authorization} header
     * @return the caller, with the roles the credentials grant
     */
    Principal authenticate(String credentials) throws AuthenticationException;
}
