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

    /** The HTTP users (built-in users, OIDC bearer tokens) a DIMSE User Identity may also prove; NONE: none. */
    private dev.steadfast.web.auth.HttpAuth httpUsers = dev.steadfast.web.auth.HttpAuth.NONE;
    /** What each user verified through {@link #httpUsers} may do, from its roles (user name -> services). */
    private final java.util.Map<String, Set<Service>> roleServices = new java.util.concurrent.ConcurrentHashMap<>();
    /** A verified JWT's subject, for {@code userOf} on the same association set-up (bounded: cleared past 1,000). */
    private final java.util.Map<String, String> tokenSubjects = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Lets a DIMSE User Identity (PS3.7 D.3.3.7) be proven as an HTTP user: user name and passcode against
     * the built-in users, a JWT against the OIDC issuer. Such a user gets the services of its roles: read
     * (C-FIND, C-GET, C-MOVE, storage commitment), write (C-STORE, storage commitment), admin (all).
     */
    public AccessControl withHttpUsers(dev.steadfast.web.auth.HttpAuth auth) {
        this.httpUsers = auth;
        return this;
    }

    static Set<Service> servicesOf(Set<dev.steadfast.web.auth.Role> roles) {
        java.util.EnumSet<Service> out = java.util.EnumSet.noneOf(Service.class);
        for (var r : roles) {
            switch (r) {
                case READ -> out.addAll(Set.of(Service.FIND, Service.GET, Service.MOVE, Service.COMMIT));
                case WRITE -> out.addAll(Set.of(Service.STORE, Service.COMMIT));
                case ADMIN -> out.addAll(java.util.EnumSet.allOf(Service.class));
            }
        }
        return out;
    }

    /** Whether a verified user may use {@code service}: an {@code access.users} user as its lists say, an HTTP user by role. */
    private boolean userMay(String user, Service service) {
        if (user == null) {
            return false;
        }
        Set<Service> byRole = config.users().passcodes().containsKey(user) ? null : roleServices.get(user);
        return byRole == null || byRole.contains(service);
    }

    /**
     * Whether {@code callingAe} from {@code peer} (as {@code verifiedUser}, or null) may open an
     * association: false answers "calling AE title not recognized".
     */
    /** {@link #recognizes}, a refusal reported to the audit trail (node authentication: who may connect at all). */
    public boolean recognizesAudited(String callingAe, InetAddress peer, String verifiedUser) {
        boolean ok = recognizes(callingAe, peer, verifiedUser);
        if (!ok) {
            audit.refused(new dev.steadfast.archive.audit.AuditEvents.Actor(callingAe, peer == null ? null : peer.getHostAddress()),
                    true, "association rejected: calling AE title not recognized from this address", java.util.Map.of());
        }
        return ok;
    }

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
        return permits(service, callingAe, peer) || (config.grant(service).allowsUser(verifiedUser) && userMay(verifiedUser, service));
    }

    /**
     * Checks a User Identity (PS3.7 D.3.3.7), or null when there is nothing to check it against
     * (identities are then ignored): a user name with passcode against {@code access.users}, else against
     * the HTTP built-in users; a JWT against the OIDC issuer HTTP trusts. A wrong passcode, an unknown
     * user, a refused token or another identity type rejects the association.
     */
    public UserIdentityVerifier userIdentityVerifier() {
        if (config.users().isEmpty() && !httpUsers.required()) {
            return null;
        }
        return new UserIdentityVerifier() {
            @Override
            public byte[] verify(UserIdentityRq id, String callingAe) {
                if (id.identityType() == UserIdentityRq.USERNAME_AND_PASSCODE) {
                    String user = id.primaryFieldAsString();
                    String expected = config.users().passcodes().get(user);
                    if (expected != null || !httpUsers.required()) {
                        byte[] given = id.secondaryField() == null ? new byte[0] : id.secondaryField();
                        // Constant-time comparison; an unknown user is compared against a dummy so timing says nothing.
                        boolean ok = MessageDigest.isEqual((expected == null ? "\u0000" : expected).getBytes(StandardCharsets.UTF_8), given);
                        return ok && expected != null ? new byte[0] : audited(null, user, callingAe);
                    }
                    String basic = java.util.Base64.getEncoder().encodeToString((user + ":" + id.secondaryFieldAsString())
                            .getBytes(StandardCharsets.UTF_8));
                    return audited(proven("Basic", basic, null), user, callingAe);
                }
                if (id.identityType() == UserIdentityRq.JWT) {
                    String token = id.primaryFieldAsString();
                    return audited(proven("Bearer", token, token), "JWT", callingAe);
                }
                return null; // Kerberos, SAML and a bare user name prove nothing here
            }

            @Override
            public String userOf(UserIdentityRq id) {
                if (id.identityType() == UserIdentityRq.JWT) {
                    return tokenSubjects.get(id.primaryFieldAsString()); // asked more than once per set-up
                }
                return UserIdentityVerifier.super.userOf(id);
            }
        };
    }

    /** A refused identity is a failed authentication in the audit trail (the association is rejected). */
    private byte[] audited(byte[] response, String user, String callingAe) {
        if (response == null) {
            audit.authentication(new dev.steadfast.archive.audit.AuditEvents.Actor(user, null), false,
                    "DICOM User Identity refused (calling AE " + callingAe + ")");
        }
        return response;
    }

    /** Checks credentials with the HTTP authenticator of {@code scheme}; remembers the user's services. */
    private byte[] proven(String scheme, String credentials, String token) {
        for (var a : httpUsers.authenticators()) {
            if (a.scheme().equalsIgnoreCase(scheme) && a.accepts(credentials)) {
                try {
                    var p = a.authenticate(credentials);
                    roleServices.put(p.name(), servicesOf(p.roles()));
                    if (token != null) {
                        if (tokenSubjects.size() > 1000) {
                            tokenSubjects.clear(); // each entry is needed only during its association's set-up
                        }
                        tokenSubjects.put(token, p.name());
                    }
                    return new byte[0];
                } catch (dev.steadfast.web.auth.AuthenticationException e) {
                    return null;
                }
            }
        }
        return null;
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
