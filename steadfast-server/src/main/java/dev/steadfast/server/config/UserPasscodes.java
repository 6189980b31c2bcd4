package dev.steadfast.server.config;

import java.util.Map;
import java.util.TreeSet;

/**
 * DIMSE users who may identify themselves with a user name and passcode (User Identity
 * negotiation, PS3.7 D.3.3.7). The passcodes are secrets: {@link #toString()} names the users only.
 */
public record UserPasscodes(Map<String, String> passcodes) {
    public static final UserPasscodes NONE = new UserPasscodes(Map.of());

    public UserPasscodes {
        passcodes = Map.copyOf(passcodes);
    }

    public boolean isEmpty() {
        return passcodes.isEmpty();
    }

    @Override
    public String toString() {
        return "UserPasscodes" + new TreeSet<>(passcodes.keySet());
    }
}
