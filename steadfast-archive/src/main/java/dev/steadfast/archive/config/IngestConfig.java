package dev.steadfast.archive.config;

import java.util.Objects;

/**
 * @param onDifferentDuplicate what a re-sent instance with different bytes does (default REJECT: nothing stored is
 *                             ever silently changed, nothing sent silently dropped);
 *                             identical bytes always succeed without change
 */
public record IngestConfig(DuplicatePolicy onDifferentDuplicate) {
    public static final IngestConfig DEFAULT = new IngestConfig(DuplicatePolicy.REJECT);

    public IngestConfig {
        Objects.requireNonNull(onDifferentDuplicate, "onDifferentDuplicate");
    }
}
