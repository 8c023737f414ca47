package io.musubi.rest.internal.security;

import io.musubi.rest.Role;

/** Role names as written in tokens, keys and requests ({@link Role#claim()}). */
public final class Roles {

    private Roles() {
    }

    /** The role with this claim name (lower case, exact), or {@code null}. */
    public static Role parse(String claim) {
        if (claim == null) {
            return null;
        }
        for (Role role : Role.values()) {
            if (role.claim().equals(claim)) {
                return role;
            }
        }
        return null;
    }
}
