package dev.steadfast.server.config;

import java.util.Set;

/**
 * Which calling AE titles may use which service. An empty set means any AE title. Retrieval is
 * further limited to destinations under {@code remote-aes}.
 */
public record AccessConfig(Set<String> store, Set<String> find, Set<String> retrieve, Set<String> commit) {
    public static final AccessConfig ANY = new AccessConfig(Set.of(), Set.of(), Set.of(), Set.of());

    public AccessConfig {
        store = Set.copyOf(store);
        find = Set.copyOf(find);
        retrieve = Set.copyOf(retrieve);
        commit = Set.copyOf(commit);
    }

    public static boolean allows(Set<String> allowed, String callingAe) {
        return allowed.isEmpty() || allowed.contains(callingAe);
    }

    /** Whether the AE may open an association at all (it is allowed some service). */
    public boolean allowsAny(String callingAe) {
        return allows(store, callingAe) || allows(find, callingAe) || allows(retrieve, callingAe) || allows(commit, callingAe);
    }
}
