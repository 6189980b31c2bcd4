package dev.steadfast.server.sites;

import dev.steadfast.archive.index.StoredInstance;
import dev.steadfast.archive.sites.CacheEviction;
import dev.steadfast.archive.sites.Inventory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Whether the peer (the edge's upstream) holds a study as this node stores it: every local
 * instance listed in the peer's inventory with the same data set SHA-256. A peer that cannot be
 * asked holds nothing, so nothing is evicted while the link is down. When forwarding queues can
 * confirm delivery, they can answer this instead.
 */
final class PeerHolds implements CacheEviction.HeldUpstream {
    private final PeerClient peer;

    PeerHolds(PeerClient peer) {
        this.peer = peer;
    }

    @Override
    public boolean holds(String studyUid, List<StoredInstance> local) {
        Map<String, Map<String, String>> bySeries = new HashMap<>();
        try {
            for (StoredInstance i : local) {
                Map<String, String> there = bySeries.get(i.seriesUid());
                if (there == null) {
                    there = new HashMap<>();
                    for (Inventory.Entry e : peer.instances(studyUid, i.seriesUid())) {
                        there.put(e.sopUid(), e.datasetSha256());
                    }
                    bySeries.put(i.seriesUid(), there);
                }
                if (!i.record().datasetSha256().equals(there.get(i.record().sopUid()))) {
                    return false;
                }
            }
            return true;
        } catch (PeerClient.PeerException e) {
            return false;
        }
    }
}
