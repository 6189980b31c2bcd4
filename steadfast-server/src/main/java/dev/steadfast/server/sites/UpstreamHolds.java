package dev.steadfast.server.sites;

import dev.steadfast.archive.index.StoredInstance;
import dev.steadfast.archive.sites.Inventory;
import dev.steadfast.server.dimse.StorageCommitmentAdapter;

import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Whether the peer (the edge's central archive) holds instances, for storage commitment "held
 * upstream" (issue 17): its inventory, one request per series, lists each instance's data set
 * SHA-256, which must equal the one recorded here. The inventory rather than central's own
 * storage commitment: it compares the very bytes (the data set's SHA-256 is the same on every
 * site), needs no association from central back to the edge, and is what cache eviction already
 * trusts before dropping a local copy.
 */
final class UpstreamHolds implements StorageCommitmentAdapter.HeldUpstream {
    private final PeerClient peer;
    final AtomicLong checks = new AtomicLong();
    final AtomicLong lacking = new AtomicLong();

    UpstreamHolds(PeerClient peer) {
        this.peer = peer;
    }

    @Override
    public Set<String> held(List<StoredInstance> instances) throws IOException {
        checks.incrementAndGet();
        Map<String, List<StoredInstance>> bySeries = new LinkedHashMap<>();
        for (StoredInstance s : instances) {
            bySeries.computeIfAbsent(s.studyUid() + "\n" + s.seriesUid(), k -> new java.util.ArrayList<>()).add(s);
        }
        Set<String> held = new HashSet<>();
        try {
            for (List<StoredInstance> series : bySeries.values()) {
                StoredInstance first = series.getFirst();
                Map<String, String> there = new HashMap<>();
                for (Inventory.Entry e : peer.instances(first.studyUid(), first.seriesUid())) {
                    there.put(e.sopUid(), e.datasetSha256());
                }
                for (StoredInstance s : series) {
                    String sha = there.get(s.record().sopUid());
                    if (sha != null && sha.equals(s.record().datasetSha256())) {
                        held.add(s.record().sopUid());
                    }
                }
            }
        } catch (IOException e) {
            lacking.incrementAndGet();
            throw e;
        }
        if (held.size() < instances.size()) {
            lacking.incrementAndGet();
        }
        return held;
    }
}
