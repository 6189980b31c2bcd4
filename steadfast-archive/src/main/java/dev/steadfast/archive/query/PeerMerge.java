package dev.steadfast.archive.query;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Element;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.VR;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Local matches first, then the peer's matches for entities not held here (issue 17,
 * {@code sites.query-peer}), each cut down to the requested keys and re-encoded for the requester
 * as local answers are. The peer is asked before the local query starts, so its time limit runs
 * alongside it. Not merged (local answers only): a request without the level's unique key (nothing
 * to tell the same entity apart by) or with a sequence matching key (QIDO-RS cannot pass it on).
 */
final class PeerMerge {
    private PeerMerge() {}

    static int run(QueryRequest request, RemoteQuery remote, long maxResults,
                   BiFunction<QueryRequest, Consumer<Dataset>, Integer> here, Consumer<Dataset> out) {
        int uidTag = switch (request.level()) {
            case STUDY -> Tag.StudyInstanceUID;
            case SERIES -> Tag.SeriesInstanceUID;
            case IMAGE -> Tag.SOPInstanceUID;
            case PATIENT -> -1;
        };
        if (uidTag < 0 || !request.keys().contains(uidTag) || matchesSequence(request.keys())) {
            return here.apply(request, out);
        }
        Supplier<List<Dataset>> pending = remote.ask(request);
        Set<String> seen = new HashSet<>();
        int n = here.apply(request, m -> {
            String uid = m.getString(uidTag);
            if (uid != null) {
                seen.add(uid.strip());
            }
            out.accept(m);
        });
        long limit = request.limit();
        if (maxResults > 0 && (limit == 0 || limit > maxResults)) {
            limit = maxResults;
        }
        if (limit > 0 && n >= limit) {
            return n;
        }
        String[] charset = request.keys().getStrings(Tag.SpecificCharacterSet);
        for (Dataset d : pending.get()) {
            String uid = d.getString(uidTag);
            if (uid == null || !seen.add(uid.strip())) {
                continue; // held here too: the local answer stands
            }
            out.accept(AnswerCharset.forRequester(project(d, request.keys()), charset));
            n++;
            if (limit > 0 && n >= limit) {
                return n;
            }
        }
        return n;
    }

    /** The peer's answer with exactly the requested keys (empty where the peer gave none), in the peer's character set. */
    private static Dataset project(Dataset peer, Dataset keys) {
        Dataset out = new Dataset();
        Element cs = peer.get(Tag.SpecificCharacterSet);
        if (cs != null) {
            out.put(cs); // the text below is encoded in it (DicomJsonReader)
        }
        for (Element k : keys) {
            if (k.tag() == Tag.SpecificCharacterSet) {
                continue;
            }
            Element e = peer.get(k.tag());
            out.put(e != null ? e : new Element(k.tag(), k.vr(), null, false));
        }
        return out;
    }

    private static boolean matchesSequence(Dataset keys) {
        for (Element e : keys) {
            if (e.vr() == VR.SQ && !e.isEmpty()) {
                var seq = keys.getSequence(e.tag());
                for (Dataset item : seq) {
                    for (Element inner : item) {
                        if (!inner.isEmpty()) {
                            return true;
                        }
                    }
                }
            }
        }
        return false;
    }
}
