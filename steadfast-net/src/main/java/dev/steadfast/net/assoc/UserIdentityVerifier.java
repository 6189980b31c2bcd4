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
}
