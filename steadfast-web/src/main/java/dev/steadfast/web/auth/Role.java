package dev.steadfast.web.auth;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** What an authenticated caller may do over HTTP. */
public enum Role {
    /** QIDO-RS, WADO-RS, WADO-URI, rendered and thumbnails. */
    READ,
    /** STOW-RS. */
    WRITE,
    /** The admin REST API under {@code /api}, deletion. */
    ADMIN;

    /** The name used in configuration, user files and token claims: {@code read}, {@code write}, {@code admin}. */
    public String claimName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The role named {@code s} (case-insensitive), or null when it names none. */
    public static Role of(String s) {
        for (Role r : values()) {
            if (r.claimName().equalsIgnoreCase(s.strip())) {
                return r;
            }
        }
        return null;
    }

    /** Roles from a list such as {@code read,write}; an unknown name is an error. */
    public static Set<Role> parseList(String list) {
        Set<Role> out = EnumSet.noneOf(Role.class);
        for (String s : list.split(",")) {
            if (s.isBlank()) {
                continue;
            }
            Role r = of(s);
            if (r == null) {
                throw new IllegalArgumentException("unknown role '" + s.strip() + "' (roles: read, write, admin)");
            }
            out.add(r);
        }
        return out;
    }
}
