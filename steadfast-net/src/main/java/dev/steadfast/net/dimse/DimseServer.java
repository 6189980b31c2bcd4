package dev.steadfast.net.dimse;

import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.dictionary.UidEntry;
import dev.steadfast.dicom.dictionary.UidRegistry;
import dev.steadfast.net.assoc.AcceptorPolicy;
import dev.steadfast.net.assoc.AssociationConfig;
import dev.steadfast.net.assoc.AssociationListener;
import dev.steadfast.net.assoc.TlsConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Wires a {@link ServiceRegistry} to a listening port. */
public final class DimseServer {
    private DimseServer() {
    }

    public static AssociationListener start(InetAddress address, int port, AssociationConfig config, AcceptorPolicy policy,
                                            ServiceRegistry registry, int maxAssociations, TlsConfig tls) throws IOException {
        return AssociationListener.start(address, port, config, policy, new Dispatcher(registry, config), maxAssociations, tls);
    }

    /**
     * Syntaxes added to PS3.5 after the edition the core's registry was generated from (2022a):
     * encapsulated uncompressed, deflated image frames, HTJ2K and JPEG XL.
     */
    private static final List<String> NEWER_TRANSFER_SYNTAXES = List.of(
            "1.2.840.10008.1.2.1.98", "1.2.840.10008.1.2.8.1",
            "1.2.840.10008.1.2.4.201", "1.2.840.10008.1.2.4.202", "1.2.840.10008.1.2.4.203",
            "1.2.840.10008.1.2.4.110", "1.2.840.10008.1.2.4.111", "1.2.840.10008.1.2.4.112");

    /** Every standard transfer syntax: a storage SCP keeps what it receives as it is. */
    public static List<String> standardTransferSyntaxes() {
        List<String> ts = new ArrayList<>();
        for (UidEntry e : UidRegistry.ofType("Transfer Syntax")) {
            ts.add(e.uid());
        }
        for (String uid : NEWER_TRANSFER_SYNTAXES) {
            if (!ts.contains(uid)) {
                ts.add(uid);
            }
        }
        return ts;
    }

    /**
     * The policy that fits a registry: storage SOP classes in any standard transfer syntax (the
     * requestor's preference first), other services in the uncompressed syntaxes. Storage classes
     * for which the requestor proposes the SCP role (C-GET) are accepted too.
     *
     * @param calledAeTitles the titles we answer to (none: any)
     */
    public static AcceptorPolicy.Builder policyFor(ServiceRegistry registry, String... calledAeTitles) {
        Set<String> storage = new HashSet<>(UidRegistry.storageSopClasses());
        AcceptorPolicy.SyntaxRule anyStandard = AcceptorPolicy.SyntaxRule.requestorOrder(standardTransferSyntaxes().toArray(String[]::new));
        AcceptorPolicy.SyntaxRule uncompressed = AcceptorPolicy.SyntaxRule.requestorOrder(
                UID.ExplicitVRLittleEndian, UID.ImplicitVRLittleEndian, UID.ExplicitVRBigEndian, UID.DeflatedExplicitVRLittleEndian);
        AcceptorPolicy.Builder b = AcceptorPolicy.builder().calledAeTitles(calledAeTitles);
        for (String cuid : registry.sopClasses()) {
            b.accept(cuid, storage.contains(cuid) ? anyStandard : uncompressed);
        }
        boolean retrieves = false;
        for (String cuid : registry.sopClasses()) {
            retrieves |= registry.handler(cuid, Dimse.C_GET_RQ) != null;
        }
        if (retrieves) {
            for (String cuid : storage) {
                if (!registry.supports(cuid)) {
                    b.accept(cuid, anyStandard);
                }
            }
        }
        return b;
    }
}
