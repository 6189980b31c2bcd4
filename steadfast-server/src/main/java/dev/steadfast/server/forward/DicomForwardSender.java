package dev.steadfast.server.forward;

import dev.steadfast.archive.forward.ForwardEntry;
import dev.steadfast.archive.forward.ForwardSender;
import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.index.StoredInstance;
import dev.steadfast.archive.retrieve.RetrieveEngine;
import dev.steadfast.net.assoc.AssociationConfig;
import dev.steadfast.net.assoc.PresentationContext;
import dev.steadfast.net.assoc.TlsConfig;
import dev.steadfast.net.dimse.ClientOptions;
import dev.steadfast.net.dimse.DimseClient;
import dev.steadfast.net.dimse.DimseException;
import dev.steadfast.net.dimse.DimseResponse;
import dev.steadfast.server.config.RemoteAeConfig;
import dev.steadfast.server.dimse.StoredInstanceSource;
import dev.steadfast.server.imaging.LosslessTranscoding;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Forwards to a DICOM AE with C-STORE, as an SCU, over one association per batch. Each instance
 * goes out as stored (its data set bytes as received); only when the peer accepts none of the
 * contexts in the stored syntax is it converted, losslessly, by the same hook C-MOVE uses.
 */
final class DicomForwardSender implements ForwardSender {
    /** PS3.8 allows 128 contexts; two per SOP class (stored syntax, uncompressed) leaves room for 64 classes. */
    private static final int MAX_CONTEXTS = 128;

    private final String name;
    private final boolean ordered;
    private final RemoteAeConfig peer;
    private final String callingAe;
    private final AssociationConfig associationConfig;
    private final TlsConfig tls;
    private final Index index;
    private final RetrieveEngine retrieve;
    private final LosslessTranscoding transcoding;

    DicomForwardSender(String name, boolean ordered, RemoteAeConfig peer, String callingAe, AssociationConfig associationConfig,
                       TlsConfig tls, Index index, RetrieveEngine retrieve, LosslessTranscoding transcoding) {
        this.name = name;
        this.ordered = ordered;
        this.peer = peer;
        this.callingAe = callingAe;
        this.associationConfig = associationConfig;
        this.tls = tls;
        this.index = index;
        this.retrieve = retrieve;
        this.transcoding = transcoding;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean ordered() {
        return ordered;
    }

    @Override
    public Link open(List<ForwardEntry> batch) throws IOException {
        ClientOptions o = new ClientOptions().callingAeTitle(callingAe).calledAeTitle(peer.aeTitle()).config(associationConfig);
        if (peer.tls()) {
            o.tls(tls);
        }
        Set<String> proposed = new HashSet<>();
        Set<String> classes = new HashSet<>();
        for (ForwardEntry e : batch) {
            if (e.kind() != ForwardEntry.Kind.STORE || e.sopClassUid() == null) {
                continue;
            }
            String ts = e.transferSyntax();
            boolean uncompressed = ClientOptions.UNCOMPRESSED.contains(ts);
            int needed = (classes.contains(e.sopClassUid()) ? 0 : 1) + (uncompressed || proposed.contains(e.sopClassUid() + "|" + ts) ? 0 : 1);
            if (o.proposedContexts() + needed > MAX_CONTEXTS) {
                continue; // sent on a later association
            }
            if (!uncompressed && proposed.add(e.sopClassUid() + "|" + ts)) {
                o.propose(e.sopClassUid(), ts);
            }
            if (classes.add(e.sopClassUid())) {
                o.propose(e.sopClassUid(), ClientOptions.UNCOMPRESSED);
            }
        }
        if (classes.isEmpty()) {
            o.propose(dev.steadfast.dicom.UID.Verification, dev.steadfast.dicom.UID.ImplicitVRLittleEndian);
        }
        DimseClient client = DimseClient.open(peer.host(), peer.port(), o);
        return new Link() {
            @Override
            public Result send(ForwardEntry e) throws IOException, Refused {
                if (e.kind() != ForwardEntry.Kind.STORE) {
                    throw new Refused("a DICOM AE cannot delete a study (C-STORE only); delete it there by hand");
                }
                if (!classes.contains(e.sopClassUid())) {
                    return Result.LATER;
                }
                Optional<StoredInstance> stored = index.read(tx -> tx.instances().find(e.sopUid()));
                if (stored.isEmpty()) {
                    return Result.GONE;
                }
                boolean accepted = client.association().presentationContexts().values().stream()
                        .anyMatch(pc -> pc.accepted() && pc.abstractSyntax().equals(e.sopClassUid()));
                if (!accepted) {
                    throw new Refused("the AE accepts no presentation context for SOP class " + e.sopClassUid());
                }
                StoredInstanceSource source = new StoredInstanceSource(retrieve, stored.get(), transcoding);
                if (!UnusableCopy.check(e.sopUid(), source::verify, () -> stillIndexed(e))) { // a corrupt copy is never forwarded
                    return Result.GONE;
                }
                DimseResponse r;
                try {
                    r = client.store(source, null, -1);
                } catch (DimseException x) {
                    throw new Refused("cannot send: " + x.getMessage() + " (" + storedSyntax(stored.get(), client) + ")");
                }
                int code = r.status().code();
                if ((code & 0xFF00) == 0xA700 || code == 0x0213) { // out of resources: the AE may take it later
                    throw new IOException("C-STORE answered status " + r.status() + " (out of resources)"
                            + (r.errorComment() == null ? "" : ": " + r.errorComment()));
                }
                if (r.status().isFailure()) {
                    throw new Refused("C-STORE refused, status " + r.status() + (r.errorComment() == null ? "" : ": " + r.errorComment()));
                }
                return Result.SENT;
            }

            @Override
            public void close() {
                try {
                    client.close(); // released when still established
                } catch (IOException ex) {
                    client.abort();
                }
            }
        };
    }

    private boolean stillIndexed(ForwardEntry e) {
        return index.read(tx -> tx.instances().find(e.sopUid())).isPresent();
    }

    private static String storedSyntax(StoredInstance s, DimseClient client) {
        String ts = s.record().transferSyntax();
        List<String> accepted = client.association().presentationContexts().values().stream()
                .filter(PresentationContext::accepted).filter(pc -> pc.abstractSyntax().equals(s.record().sopClassUid()))
                .map(PresentationContext::transferSyntax).distinct().toList();
        return "stored as " + ts + ", accepted " + accepted;
    }
}
