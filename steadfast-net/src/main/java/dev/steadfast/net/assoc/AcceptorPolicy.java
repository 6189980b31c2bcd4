package dev.steadfast.net.assoc;

import dev.steadfast.net.pdu.AAssociateAc;
import dev.steadfast.net.pdu.AAssociateRj;
import dev.steadfast.net.pdu.AAssociateRq;
import dev.steadfast.net.pdu.AsyncOperationsWindow;
import dev.steadfast.net.pdu.Pdu;
import dev.steadfast.net.pdu.PresentationContextAc;
import dev.steadfast.net.pdu.PresentationContextRq;
import dev.steadfast.net.pdu.RoleSelection;
import dev.steadfast.net.pdu.SopClassExtendedNegotiation;
import dev.steadfast.net.pdu.UserIdentityAc;
import dev.steadfast.net.pdu.UserIdentityRq;
import dev.steadfast.net.pdu.UserInformation;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * How an association-acceptor answers an A-ASSOCIATE-RQ: AE title checks, which abstract syntaxes
 * with which transfer syntaxes, role selection, user identity and extended negotiation. Immutable.
 */
public final class AcceptorPolicy {
    /** Transfer syntax rule for one abstract syntax. {@code "*"} in the list accepts any proposed syntax. */
    public record SyntaxRule(List<String> transferSyntaxes, boolean acceptorPreferenceFirst) {
        public SyntaxRule {
            transferSyntaxes = List.copyOf(transferSyntaxes);
        }

        /** The requestor's first proposed syntax that we support. */
        public static SyntaxRule requestorOrder(String... ts) {
            return new SyntaxRule(List.of(ts), false);
        }

        /** Our first listed syntax that the requestor proposed. */
        public static SyntaxRule acceptorOrder(String... ts) {
            return new SyntaxRule(List.of(ts), true);
        }

        String choose(List<String> proposed) {
            if (acceptorPreferenceFirst) {
                for (String ts : transferSyntaxes) {
                    if (proposed.contains(ts)) {
                        return ts;
                    }
                }
                return transferSyntaxes.contains("*") && !proposed.isEmpty() ? proposed.get(0) : null;
            }
            for (String ts : proposed) {
                if (transferSyntaxes.contains(ts) || transferSyntaxes.contains("*")) {
                    return ts;
                }
            }
            return null;
        }
    }

    /** Decides on the calling AE title, the address it calls from and the user it proved to be (null: none). */
    @FunctionalInterface
    public interface CallingPeerCheck {
        boolean accept(String callingAeTitle, InetAddress peer, String verifiedUser);
    }

    private final Set<String> calledAeTitles;
    private final Predicate<String> callingAeTitleCheck;
    private final CallingPeerCheck callingPeerCheck;
    private final Map<String, SyntaxRule> rules;
    private final SyntaxRule defaultRule;
    private final UserIdentityVerifier userIdentityVerifier;
    private final boolean userIdentityRequired;
    private final Function<SopClassExtendedNegotiation, byte[]> extendedNegotiationResponder;

    private AcceptorPolicy(Builder b) {
        this.calledAeTitles = Set.copyOf(b.calledAeTitles);
        this.callingAeTitleCheck = b.callingAeTitleCheck;
        this.callingPeerCheck = b.callingPeerCheck;
        this.rules = Map.copyOf(b.rules);
        this.defaultRule = b.defaultRule;
        this.userIdentityVerifier = b.userIdentityVerifier;
        this.userIdentityRequired = b.userIdentityRequired;
        this.extendedNegotiationResponder = b.extendedNegotiationResponder;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The user name of {@code rq}'s identity when it is a user name with passcode and this policy
     * checks identities: once {@link #respond} has accepted the association, that user is verified.
     */
    public String verifiedUser(AAssociateRq rq) {
        UserIdentityRq id = rq.userInformation().userIdentityRq();
        return userIdentityVerifier != null && id != null ? userIdentityVerifier.userOf(id) : null;
    }

    /** The A-ASSOCIATE-AC or -RJ that answers {@code rq} from an unknown address. */
    public Pdu respond(AAssociateRq rq, AssociationConfig config) {
        return respond(rq, null, config);
    }

    /** The A-ASSOCIATE-AC or -RJ that answers {@code rq} from {@code peer} (null: unknown). */
    public Pdu respond(AAssociateRq rq, InetAddress peer, AssociationConfig config) {
        if ((rq.protocolVersion() & 1) == 0) {
            return reject(AAssociateRj.SOURCE_ACSE, AAssociateRj.PROTOCOL_VERSION_NOT_SUPPORTED);
        }
        if (!AAssociateRq.DICOM_APPLICATION_CONTEXT.equals(rq.applicationContextName())) {
            return reject(AAssociateRj.SOURCE_SERVICE_USER, AAssociateRj.APPLICATION_CONTEXT_NAME_NOT_SUPPORTED);
        }
        if (!calledAeTitles.isEmpty() && !calledAeTitles.contains(rq.calledAeTitle())) {
            return reject(AAssociateRj.SOURCE_SERVICE_USER, AAssociateRj.CALLED_AE_TITLE_NOT_RECOGNIZED);
        }
        if (callingAeTitleCheck != null && !callingAeTitleCheck.test(rq.callingAeTitle())) {
            return reject(AAssociateRj.SOURCE_SERVICE_USER, AAssociateRj.CALLING_AE_TITLE_NOT_RECOGNIZED);
        }
        UserInformation ui = rq.userInformation();
        UserIdentityAc identityAc = null;
        if (userIdentityVerifier != null && ui.userIdentityRq() != null) {
            byte[] response = userIdentityVerifier.verify(ui.userIdentityRq(), rq.callingAeTitle());
            if (response == null) {
                return reject(AAssociateRj.SOURCE_SERVICE_USER, AAssociateRj.NO_REASON_GIVEN);
            }
            if (ui.userIdentityRq().positiveResponseRequested()) {
                identityAc = new UserIdentityAc(response);
            }
        } else if (userIdentityRequired) {
            return reject(AAssociateRj.SOURCE_SERVICE_USER, AAssociateRj.NO_REASON_GIVEN);
        }
        if (callingPeerCheck != null && !callingPeerCheck.accept(rq.callingAeTitle(), peer, verifiedUser(rq))) {
            return reject(AAssociateRj.SOURCE_SERVICE_USER, AAssociateRj.CALLING_AE_TITLE_NOT_RECOGNIZED);
        }

        List<PresentationContextAc> pcs = new ArrayList<>();
        Set<String> acceptedAbstract = new LinkedHashSet<>();
        for (PresentationContextRq pc : rq.presentationContexts()) {
            PresentationContextAc ac = negotiate(pc);
            pcs.add(ac);
            if (ac.accepted()) {
                acceptedAbstract.add(pc.abstractSyntax());
            }
        }
        // Roles as proposed are accepted for the abstract syntaxes we accepted (C-GET needs the reversed role).
        List<RoleSelection> roles = new ArrayList<>();
        for (RoleSelection r : ui.roleSelections()) {
            if (acceptedAbstract.contains(r.sopClassUid())) {
                roles.add(r);
            }
        }
        List<SopClassExtendedNegotiation> ext = new ArrayList<>();
        if (extendedNegotiationResponder != null) {
            for (SopClassExtendedNegotiation e : ui.extendedNegotiations()) {
                byte[] info = acceptedAbstract.contains(e.sopClassUid()) ? extendedNegotiationResponder.apply(e) : null;
                if (info != null) {
                    ext.add(new SopClassExtendedNegotiation(e.sopClassUid(), info));
                }
            }
        }
        // We perform one operation at a time; answering 1/1 tells the requestor so (PS3.7 D.3.3.3).
        AsyncOperationsWindow async = ui.asyncOperationsWindow() == null ? null : new AsyncOperationsWindow(1, 1);
        UserInformation acUi = new UserInformation(config.maxPduLengthReceive(), config.implementationClassUid(),
                config.implementationVersionName()).withRoleSelections(roles).withNegotiation(async, ext, List.of(), identityAc);
        return new AAssociateAc(1, rq.calledAeTitle(), rq.callingAeTitle(), rq.applicationContextName(), pcs, acUi);
    }

    private PresentationContextAc negotiate(PresentationContextRq pc) {
        if (pc.abstractSyntax().isEmpty() || pc.transferSyntaxes().isEmpty()) {
            return new PresentationContextAc(pc.id(), PresentationContextAc.NO_REASON, null);
        }
        SyntaxRule rule = rules.getOrDefault(pc.abstractSyntax(), defaultRule);
        if (rule == null) {
            return new PresentationContextAc(pc.id(), PresentationContextAc.ABSTRACT_SYNTAX_NOT_SUPPORTED, null);
        }
        String ts = rule.choose(pc.transferSyntaxes());
        return ts == null
                ? new PresentationContextAc(pc.id(), PresentationContextAc.TRANSFER_SYNTAXES_NOT_SUPPORTED, null)
                : new PresentationContextAc(pc.id(), PresentationContextAc.ACCEPTANCE, ts);
    }

    private static AAssociateRj reject(int source, int reason) {
        return new AAssociateRj(AAssociateRj.RESULT_PERMANENT, source, reason);
    }

    /** Builder; by default any AE title, no abstract syntax, no identity check. */
    public static final class Builder {
        private final Set<String> calledAeTitles = new LinkedHashSet<>();
        private Predicate<String> callingAeTitleCheck;
        private CallingPeerCheck callingPeerCheck;
        private final Map<String, SyntaxRule> rules = new HashMap<>();
        private SyntaxRule defaultRule;
        private UserIdentityVerifier userIdentityVerifier;
        private boolean userIdentityRequired;
        private Function<SopClassExtendedNegotiation, byte[]> extendedNegotiationResponder;

        /** Only these called AE titles are answered; others get "called AE title not recognized". */
        public Builder calledAeTitles(String... aes) {
            calledAeTitles.addAll(List.of(aes));
            return this;
        }

        public Builder callingAeTitles(Predicate<String> check) {
            this.callingAeTitleCheck = check;
            return this;
        }

        /**
         * Checks the calling AE title together with the address it calls from (an AE title bound to
         * a host, say) and the user whose passcode was verified; false: "calling AE title not
         * recognized". Runs after the user identity check. The address is null when unknown.
         */
        public Builder callingPeers(CallingPeerCheck check) {
            this.callingPeerCheck = check;
            return this;
        }

        public Builder accept(String abstractSyntax, SyntaxRule rule) {
            rules.put(abstractSyntax, rule);
            return this;
        }

        public Builder accept(Iterable<String> abstractSyntaxes, SyntaxRule rule) {
            for (String as : abstractSyntaxes) {
                rules.put(as, rule);
            }
            return this;
        }

        /** Rule for abstract syntaxes without their own rule (null: reject them). */
        public Builder acceptOthers(SyntaxRule rule) {
            this.defaultRule = rule;
            return this;
        }

        public Builder userIdentity(UserIdentityVerifier verifier, boolean required) {
            this.userIdentityVerifier = verifier;
            this.userIdentityRequired = required;
            return this;
        }

        /** Answers SOP class extended negotiation: return the application information to send back, or null. */
        public Builder extendedNegotiation(Function<SopClassExtendedNegotiation, byte[]> responder) {
            this.extendedNegotiationResponder = responder;
            return this;
        }

        public AcceptorPolicy build() {
            return new AcceptorPolicy(this);
        }
    }
}
