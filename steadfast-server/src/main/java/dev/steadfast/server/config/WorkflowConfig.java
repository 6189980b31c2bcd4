package dev.steadfast.server.config;

import java.util.List;

/**
 * The DICOM workflow services' deliveries (issue 18, docs/HL7.md): where MPPS operations are
 * relayed and who gets the Instance Availability Notifications. Empty by default.
 *
 * @param mppsForwardTo  the {@code remote-aes} each MPPS N-CREATE and N-SET is relayed to, in order
 * @param ianSubscribers the {@code remote-aes} that get an availability notice per completed MPPS
 * @param maxAttempts    refusals of one entry by its peer before it becomes a dead letter ({@code workflow.max-attempts})
 */
public record WorkflowConfig(List<RemoteAeConfig> mppsForwardTo, List<RemoteAeConfig> ianSubscribers, int maxAttempts) {
    /** Like forwarding's {@code forwarding.max-attempts}. */
    public static final int DEFAULT_MAX_ATTEMPTS = 10;
    public static final WorkflowConfig NONE = new WorkflowConfig(List.of(), List.of());

    public WorkflowConfig {
        mppsForwardTo = List.copyOf(mppsForwardTo);
        ianSubscribers = List.copyOf(ianSubscribers);
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("workflow.max-attempts must be at least 1: " + maxAttempts);
        }
    }

    public WorkflowConfig(List<RemoteAeConfig> mppsForwardTo, List<RemoteAeConfig> ianSubscribers) {
        this(mppsForwardTo, ianSubscribers, DEFAULT_MAX_ATTEMPTS);
    }
}
