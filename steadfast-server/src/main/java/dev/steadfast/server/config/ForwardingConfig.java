package dev.steadfast.server.config;

import dev.steadfast.archive.forward.ForwardPolicy;
import dev.steadfast.archive.forward.ForwardRule;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Forwarding (issue 17): where instances go besides this archive, which ones, and how the
 * queues are drained. Empty by default: nothing is forwarded.
 */
public record ForwardingConfig(ForwardPolicy policy, Map<String, Destination> destinations, List<ForwardRule> rules) {
    public static final ForwardingConfig NONE = new ForwardingConfig(ForwardPolicy.DEFAULTS, Map.of(), List.of());

    public ForwardingConfig {
        Objects.requireNonNull(policy, "policy");
        destinations = Map.copyOf(destinations);
        rules = List.copyOf(rules);
    }

    public enum Type {
        /** A DICOM AE: C-STORE, as an SCU, to a peer under {@code remote-aes}. */
        DICOM,
        /** A DICOMweb server: STOW-RS to {@code url} (its service root). */
        DICOMWEB,
        /** Another Steadfast: STOW-RS to {@code url}/dicom-web, deletions through {@code url}/api. */
        STEADFAST
    }

    /**
     * One destination.
     *
     * @param remoteAe    for DICOM: the peer (a {@code remote-aes} entry)
     * @param url         for DICOMWEB the service root, for STEADFAST the node's base URL
     * @param bearerToken for HTTP: sent as {@code Authorization: Bearer}; or null
     * @param username    for HTTP basic authentication, with {@code password}; or null
     * @param ordered     whether instances must arrive in the order they were received here
     */
    public record Destination(String name, Type type, RemoteAeConfig remoteAe, URI url, String bearerToken,
                              String username, String password, boolean ordered) {
        public Destination {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
        }

        @Override
        public String toString() { // no secrets
            return name + " (" + type.name().toLowerCase(java.util.Locale.ROOT) + " "
                    + (type == Type.DICOM ? remoteAe.aeTitle() + "@" + remoteAe.host() + ":" + remoteAe.port() : url) + ")";
        }
    }
}
