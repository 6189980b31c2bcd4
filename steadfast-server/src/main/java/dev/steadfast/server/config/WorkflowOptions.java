package dev.steadfast.server.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Reads the {@code workflow.*} options (issue 18): lists of {@code remote-aes} names. */
final class WorkflowOptions {
    static final List<ConfigOptions.Option> ALL = List.of(
            new ConfigOptions.Option("workflow.mpps.forward-to", null,
                    "remote-aes that get every MPPS N-CREATE and N-SET received, in order, retried until taken (list; none: not relayed)"),
            new ConfigOptions.Option("workflow.ian.subscribers", null,
                    "remote-aes that get an Instance Availability Notification once a completed MPPS's instances are all stored (list)"),
            new ConfigOptions.Option("workflow.max-attempts", String.valueOf(WorkflowConfig.DEFAULT_MAX_ATTEMPTS),
                    "refusals of one MPPS relay or notice by its peer before it becomes a dead letter (/api/workflow); an unreachable peer is retried without limit"));

    private WorkflowOptions() {
    }

    static WorkflowConfig read(Function<String, String> get, Map<String, RemoteAeConfig> remoteAes) {
        String max = get.apply("workflow.max-attempts");
        int maxAttempts = WorkflowConfig.DEFAULT_MAX_ATTEMPTS;
        if (max != null) {
            try {
                maxAttempts = Integer.parseInt(max.strip());
            } catch (NumberFormatException e) {
                maxAttempts = 0; // answered below
            }
            if (maxAttempts < 1) {
                throw new ConfigException("workflow.max-attempts", "must be a whole number of at least 1, not '" + max + "'");
            }
        }
        return new WorkflowConfig(aes(get, "workflow.mpps.forward-to", remoteAes), aes(get, "workflow.ian.subscribers", remoteAes),
                maxAttempts);
    }

    private static List<RemoteAeConfig> aes(Function<String, String> get, String key, Map<String, RemoteAeConfig> remoteAes) {
        String v = get.apply(key);
        List<RemoteAeConfig> out = new ArrayList<>();
        if (v == null) {
            return out;
        }
        for (String name : Arrays.stream(v.split(",")).map(String::strip).filter(s -> !s.isEmpty()).distinct().toList()) {
            RemoteAeConfig ae = remoteAes.get(name);
            if (ae == null) {
                throw new ConfigException(key, "'" + name + "' is not one of remote-aes " + remoteAes.keySet());
            }
            out.add(ae);
        }
        return out;
    }
}
