package dev.steadfast.server.dimse;

import dev.steadfast.net.dimse.DimseException;
import dev.steadfast.net.dimse.DimseRequest;
import dev.steadfast.server.config.AccessConfig;
import dev.steadfast.server.config.AccessConfig.Service;
import dev.steadfast.server.config.HostPattern;
import dev.steadfast.net.assoc.UserIdentityVerifier;
import dev.steadfast.net.pdu.UserIdentityRq;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Set;

/**
 * The DIMSE access rules at work: at association time, whether the calling AE title is recognized
 * (not pinned elsewhere, allowed some service); per request, whether it may use that service
 * (else 0124 Refused: Not Authorized, PS3.7 C.5). AE titles are not secrets: a peer on an untrusted
 * network that claims a {@code remote-aes} title is believed unless that title is pinned.
 */
public final class AccessControl {
    private final AccessConfig config;
    private final Set<String> known;

    /** @param knownAeTitles the AE titles configured under {@code remote-aes} */
    public AccessControl(AccessConfig config, Set<String> knownAeTitles) {
        this.config = config;
        this.known = Set.copyOf(knownAeTitles);
    }

    /**
     * Whether {@code callingAe} from {@code peer} (as {@code verifiedUser}, or null) may open an
     * association: false answers "calling AE title not recognized".
     */
    public boolean recognizes(String callingAe, InetAddress peer, String verifiedUser) {
        List<HostPattern> pinned = config.pins().get(callingAe);
        if (pinned != null && pinned.stream().noneMatch(p -> p.matches(peer))) {
            return false;
        }
        for (Service s : Service.values()) {
            if (permits(s, callingAe, peer, verifiedUser)) {
                return true;
            }
        }
        return false;
    }

    public boolean permits(Service service, String callingAe, InetAddress peer) {
        return config.grant(service).allows(callingAe, known.contains(callingAe), trusted(peer));
    }

    /** As {@link #permits(Service, String, InetAddress)}, or through the user whose passcode was verified. */
    public boolean permits(Service service, String callingAe, InetAddress peer, String verifiedUser) {
        return permits(service, callingAe, peer) || config.grant(service).allowsUser(verifiedUser);
    }

    /**
     * Checks a User Identity (PS3.7 D.3.3.7) against {@code access.users}, or null when none are
     * configured (identities are then ignored). Only user name with passcode is accepted; a wrong
     * passcode, an unknown user or another identity type rejects the association.
     */
    public UserIdentityVerifier userIdentityVerifier() {
        if (config.users().isEmpty()) {
            return null;
        }
        return (id, callingAe) -> {
            if (id.identityType() != UserIdentityRq.USERNAME_AND_PASSCODE) {
                return null;
            }
            String expected = config.users().passcodes().get(id.primaryFieldAsString());
            byte[] given = id.secondaryField() == null ? new byte[0] : id.secondaryField();
            // Constant-time comparison; an unknown user is compared against a dummy so timing says nothing.
            boolean ok = MessageDigest.isEqual((expected == null ? "\u0000" : expected).getBytes(StandardCharsets.UTF_8), given);
            return ok && expected != null ? new byte[0] : null;
        };
    }

    private boolean trusted(InetAddress peer) {
        return config.trustedNetworks().stream().anyMatch(n -> n.matches(peer));
    }

    private dev.steadfast.archive.audit.AccessAudit audit = dev.steadfast.archive.audit.AccessAudit.NONE;

    /** Reports every refusal to the audit trail as a security alert (set once, at wiring). */
    public AccessControl audited(dev.steadfast.archive.audit.AccessAudit a) {
        this.audit = a;
        return this;
    }

    /** Throws 0124 Refused: Not Authorized when the request's caller may not use {@code service}. */
    public void check(Service service, DimseRequest rq) throws DimseException {
        if (!permits(service, rq.callingAeTitle(), rq.peerAddress(), rq.verifiedUser())) {
            audit.refused(new dev.steadfast.archive.audit.AuditEvents.Actor(rq.callingAeTitle(), rq.remoteAddress()), false,
                    rq.type().name().replace("_RQ", "").replace('_', '-') + " refused: AE not authorized to "
                            + service.name().toLowerCase(java.util.Locale.ROOT), java.util.Map.of());
            throw StatusTable.notAuthorized(rq.callingAeTitle(), service.name().toLowerCase(java.util.Locale.ROOT));
        }
    }
}
