package dev.steadfast.web.auth;

import java.util.Set;

/**
 * Who made a request, once authenticated.
 *
 * @param name   the user name or the token's subject (for the audit trail; never patient data)
 * @param roles  what the caller may do
 * @param scheme {@code Bearer} or {@code Basic}: how the caller authenticated, for the 403 challenge
 */
public record Principal(String name, Set<Role> roles, String scheme) {
    public Principal {
        roles = Set.copyOf(roles);
    }

    public boolean has(Role role) {
        return roles.contains(role);
    }
}
