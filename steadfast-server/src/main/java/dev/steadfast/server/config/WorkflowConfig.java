package dev.steadfast.server.config;

import java.util.List;

/**
 * The DICOM workflow services' deliveries (issue 18, docs/HL7.md): where MPPS operations are
 * relayed and who gets the Instance Availability Notifications. Empty by default.
 *
 * @param mppsForwardTo  the {@code remote-aes} each MPPS N-CREATE and N-SET is relayed to, in order
 * @param ianSubscribers the {@code remote-aes} that get an availability notice per completed MPPS
 */
public record WorkflowConfig(List<RemoteAeConfig> mppsForwardTo, List<RemoteAeConfig> ianSubscribers) {
    public static final WorkflowConfig NONE = new WorkflowConfig(List.of(), List.of());

    public WorkflowConfig {
        mppsForwardTo = List.copyOf(mppsForwardTo);
        ianSubscribers = List.copyOf(ianSubscribers);
    }
}
