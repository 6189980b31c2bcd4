package dev.steadfast.server.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** Reads the {@code access.*} options into an {@link AccessConfig}, naming the option in every error. */
final class AccessOptions {
    private static final String NONE = "none";

    private AccessOptions() {
    }

    /**
     * @param get  an option's value, or null when unset
     * @param list an option's comma-separated values
     */
    static AccessConfig read(Function<String, String> get, Function<String, Set<String>> list) {
        List<HostPattern> trusted = new ArrayList<>();
        Set<String> networks = list.apply("access.trusted-networks");
        if (!(networks.size() == 1 && networks.contains(NONE))) {
            for (String n : networks) {
                trusted.add(HostPattern.parse("access.trusted-networks", n));
            }
        }
        Map<String, List<HostPattern>> pins = new LinkedHashMap<>();
        for (String spec : list.apply("access.pin")) {
            int at = spec.lastIndexOf('@');
            ConfigException.check(at > 0 && at < spec.length() - 1, "access.pin", "expected AETITLE@address-or-host, got '" + spec + "'");
            String ae = spec.substring(0, at).strip();
            ConfigException.check(DicomConfig.validAeTitle(ae), "access.pin", "bad AE title in '" + spec + "'");
            pins.computeIfAbsent(ae, k -> new ArrayList<>()).add(HostPattern.parse("access.pin", spec.substring(at + 1)));
        }
        Map<String, String> users = new LinkedHashMap<>();
        for (String spec : list.apply("access.users")) {
            int colon = spec.indexOf(':');
            // The value is a secret: never echo it in the message.
            ConfigException.check(colon > 0 && colon < spec.length() - 1, "access.users", "expected NAME:PASSCODE entries");
            users.put(spec.substring(0, colon).strip(), spec.substring(colon + 1));
        }
        // access.store defaults to "*"; a blank value (an empty environment variable) is the default too.
        AccessConfig.Grant store = get.apply("access.store") == null ? AccessConfig.Grant.ANY : grant("access.store", get, list);
        return new AccessConfig(store, grant("access.find", get, list), grant("access.get", get, list),
                grant("access.move", get, list), grant("access.commit", get, list), trusted, pins, new UserPasscodes(users));
    }

    private static AccessConfig.Grant grant(String key, Function<String, String> get, Function<String, Set<String>> list) {
        if (get.apply(key) == null) {
            return AccessConfig.Grant.KNOWN_OR_TRUSTED;
        }
        Set<String> aes = list.apply(key);
        if (aes.size() == 1 && aes.contains(NONE)) {
            return AccessConfig.Grant.of(Set.of());
        }
        for (String ae : aes) {
            ConfigException.check(ae.equals("*") || DicomConfig.validAeTitle(ae)
                    || (ae.startsWith(AccessConfig.USER_PREFIX) && ae.length() > AccessConfig.USER_PREFIX.length()), key,
                    "not an AE title or user:NAME: '" + ae + "'");
        }
        return AccessConfig.Grant.of(aes);
    }
}
