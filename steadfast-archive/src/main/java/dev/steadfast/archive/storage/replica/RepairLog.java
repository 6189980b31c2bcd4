package dev.steadfast.archive.storage.replica;

import dev.steadfast.archive.storage.StorageKey;

/**
 * Where {@link ReplicatedStorage} records the copies a target missed or holds damaged, beside its
 * own in-memory list, so that they outlive the node (on a cluster: in the index, for another node
 * to repair when this one is gone).
 */
public interface RepairLog {
    RepairLog NONE = new RepairLog() {
        @Override
        public void noted(String target, StorageKey key, boolean damaged) {
        }

        @Override
        public void repaired(String target, StorageKey key) {
        }
    };

    /** {@code target} lacks {@code key}, or holds it damaged; called before a store is acknowledged. */
    void noted(String target, StorageKey key, boolean damaged);

    /** {@code target}'s copy of {@code key} is good again (or need not exist). */
    void repaired(String target, StorageKey key);
}
