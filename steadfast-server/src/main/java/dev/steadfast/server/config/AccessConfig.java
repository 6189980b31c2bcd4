package dev.steadfast.server.config;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which calling AEs may use which DIMSE service, and from where. Out of the box any AE may store
 * (and echo), so modalities work unconfigured; patient data (query, retrieve, storage commitment)
 * goes only to AE titles under {@code remote-aes} and to peers on a trusted network (loopback).
 *
 * @param trustedNetworks peers calling from these get the services whose grant is the default
 * @param pins            AE titles bound to where they may call from; from elsewhere they are not recognized
 * @param users           users who may prove who they are with a passcode; lists name them as {@code user:NAME}
 */
public record AccessConfig(Grant store, Grant find, Grant get, Grant move, Grant commit, List<HostPattern> trustedNetworks,
                           Map<String, List<HostPattern>> pins, UserPasscodes users) {
    /** How an access list names a verified user rather than an AE title. */
    public static final String USER_PREFIX = "user:";

    /** The DIMSE services that carry or reveal patient data, plus storing (echo is always allowed). */
    public enum Service { STORE, FIND, GET, MOVE, COMMIT }

    /**
     * Who may use one service: the AE titles listed ({@code *}: any AE), or when the option is not set,
     * {@link #KNOWN_OR_TRUSTED}: AE titles configured under {@code remote-aes}, any AE calling from
     * a trusted network, and any user whose passcode was verified.
     */
    public record Grant(boolean knownOrTrusted, Set<String> aeTitles) {
        public static final Grant KNOWN_OR_TRUSTED = new Grant(true, Set.of());
        public static final Grant ANY = new Grant(false, Set.of("*"));

        public Grant {
            aeTitles = Set.copyOf(aeTitles);
        }

        public static Grant of(Set<String> aeTitles) {
            return new Grant(false, aeTitles);
        }

        public boolean allows(String callingAe, boolean known, boolean trusted) {
            return knownOrTrusted ? known || trusted : aeTitles.contains("*") || aeTitles.contains(callingAe);
        }

        /** Whether an explicit list names this verified user ({@code user:NAME}); an unset one admits every verified user. */
        public boolean allowsUser(String user) {
            return user != null && (knownOrTrusted || aeTitles.contains(USER_PREFIX + user));
        }

        @Override
        public String toString() {
            return knownOrTrusted ? "remote-aes and trusted networks" : String.join(",", aeTitles);
        }
    }

    public AccessConfig {
        trustedNetworks = List.copyOf(trustedNetworks);
        pins = Map.copyOf(pins);
        java.util.Objects.requireNonNull(users, "users");
    }

    public Grant grant(Service s) {
        return switch (s) {
            case STORE -> store;
            case FIND -> find;
            case GET -> get;
            case MOVE -> move;
            case COMMIT -> commit;
        };
    }
}
