package dev.steadfast.net.dimse;

import dev.steadfast.dicom.UID;
import dev.steadfast.net.assoc.AssociationConfig;
import dev.steadfast.net.assoc.TlsConfig;
import dev.steadfast.net.pdu.AAssociateRq;
import dev.steadfast.net.pdu.PresentationContextRq;
import dev.steadfast.net.pdu.RoleSelection;
import dev.steadfast.net.pdu.UserIdentityRq;
import dev.steadfast.net.pdu.UserInformation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a requestor proposes: AE titles, presentation contexts, roles, identity, limits. Mutable builder style, used once. */
public final class ClientOptions {
    /** The uncompressed syntaxes every SCP must accept at least one of: explicit LE preferred, implicit LE as the default. */
    public static final List<String> UNCOMPRESSED = List.of(UID.ExplicitVRLittleEndian, UID.ImplicitVRLittleEndian);

    private String callingAeTitle = "STEADFAST";
    private String calledAeTitle = "ANY-SCP";
    private final List<PresentationContextRq> contexts = new ArrayList<>();
    private final Map<String, RoleSelection> roles = new LinkedHashMap<>();
    private UserIdentityRq userIdentity;
    private AssociationConfig config = AssociationConfig.DEFAULTS;
    private TlsConfig tls;
    private java.net.InetAddress localAddress;

    public ClientOptions callingAeTitle(String ae) {
        this.callingAeTitle = ae;
        return this;
    }

    public ClientOptions calledAeTitle(String ae) {
        this.calledAeTitle = ae;
        return this;
    }

    /** Proposes a context (IDs are odd, assigned in order; at most 128 contexts). */
    public ClientOptions propose(String abstractSyntax, List<String> transferSyntaxes) {
        int id = 2 * contexts.size() + 1;
        if (id > 255) {
            throw new IllegalStateException("at most 128 presentation contexts can be proposed");
        }
        contexts.add(new PresentationContextRq(id, abstractSyntax, transferSyntaxes));
        return this;
    }

    public ClientOptions propose(String abstractSyntax, String... transferSyntaxes) {
        return propose(abstractSyntax, List.of(transferSyntaxes));
    }

    /** Proposes that we act as SCP for {@code sopClassUid} too (C-GET storage sub-operations). */
    public ClientOptions scpRole(String sopClassUid) {
        roles.put(sopClassUid, new RoleSelection(sopClassUid, true, true));
        return this;
    }

    public ClientOptions userIdentity(UserIdentityRq identity) {
        this.userIdentity = identity;
        return this;
    }

    public ClientOptions config(AssociationConfig config) {
        this.config = config;
        return this;
    }

    public ClientOptions tls(TlsConfig tls) {
        this.tls = tls;
        return this;
    }

    /** Connects from this local address (a multi-homed host, or a test posing as another peer). */
    public ClientOptions localAddress(java.net.InetAddress address) {
        this.localAddress = address;
        return this;
    }

    public java.net.InetAddress localAddress() {
        return localAddress;
    }

    public AssociationConfig config() {
        return config;
    }

    public TlsConfig tls() {
        return tls;
    }

    public int proposedContexts() {
        return contexts.size();
    }

    AAssociateRq toAssociateRq() {
        UserInformation ui = new UserInformation(config.maxPduLengthReceive(), config.implementationClassUid(),
                config.implementationVersionName(), null, new ArrayList<>(roles.values()),
                List.of(), List.of(), userIdentity, null);
        return new AAssociateRq(1, calledAeTitle, callingAeTitle, AAssociateRq.DICOM_APPLICATION_CONTEXT, contexts, ui);
    }
}
