package dev.steadfast.archive.storage.replica;

import dev.steadfast.archive.storage.PreviousCopy;
import dev.steadfast.archive.storage.StorageException;
import dev.steadfast.archive.storage.StorageKey;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The previous copy kept on each target a replacement writes to (those whose circuit is closed): a crash after
 * both targets were replaced still finds the previous version on both. A target that cannot keep its copy fails
 * the replacement before anything is replaced (the copies kept so far are dropped).
 */
final class ReplicatedPreviousCopy implements PreviousCopy {
    private final StorageKey key;
    private final List<PreviousCopy> copies;

    private ReplicatedPreviousCopy(StorageKey key, List<PreviousCopy> copies) {
        this.key = key;
        this.copies = copies;
    }

    static PreviousCopy keep(List<Target> targets, StorageKey key) throws IOException {
        List<PreviousCopy> kept = new ArrayList<>();
        for (Target t : targets) {
            if (!t.breaker().isClosed()) {
                continue; // not written to now: its copy is not replaced
            }
            try {
                kept.add(t.storage().keepPrevious(key));
            } catch (IOException e) {
                for (PreviousCopy k : kept) {
                    try {
                        k.discard();
                    } catch (IOException ignored) {
                        // left for the recovery at start, which drops it (the row names the unchanged object)
                    }
                }
                throw new StorageException("storage target " + t + " cannot keep the previous copy of " + key
                        + " before replacing it", e);
            }
        }
        return new ReplicatedPreviousCopy(key, kept);
    }

    @Override
    public StorageKey key() {
        return key;
    }

    @Override
    public String sha256() throws IOException {
        for (PreviousCopy c : copies) {
            if (c.sha256() != null) {
                return c.sha256();
            }
        }
        return null;
    }

    @Override
    public void restore() throws IOException {
        each(true);
    }

    @Override
    public void discard() throws IOException {
        each(false);
    }

    /** Every target's step is tried; the first failure is reported after all of them. */
    private void each(boolean restore) throws IOException {
        IOException first = null;
        for (PreviousCopy c : copies) {
            try {
                if (restore) {
                    c.restore();
                } else {
                    c.discard();
                }
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
