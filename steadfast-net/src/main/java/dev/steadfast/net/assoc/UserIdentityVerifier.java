package dev.steadfast.net.assoc;

import dev.steadfast.net.pdu.UserIdentityRq;

/** Checks the user identity an association-requestor presented (PS3.7 D.3.3.7): username, username+passcode, JWT... */
@FunctionalInterface
public interface UserIdentityVerifier {
    /**
     * @return the server response to send when a positive response was requested (empty for username
     *         types), or null to reject the association
     */
    byte[] verify(UserIdentityRq identity, String callingAeTitle);

    /**
     * The user an accepted identity names (what {@link #verify} proved): by default the user name of a
     * user name with passcode, else none. A verifier of tokens (JWT) names the token's subject.
     */
    default String userOf(UserIdentityRq identity) {
        return identity.identityType() == UserIdentityRq.USERNAME_AND_PASSCODE ? identity.primaryFieldAsString() : null;
    }
}
