package io.musubi.rest.internal.security;

import io.musubi.rest.Role;

import jakarta.ws.rs.core.SecurityContext;
import java.security.Principal;

/** The security context of an authenticated request: its principal is the {@link Caller}. */
final class CallerSecurityContext implements SecurityContext {

    private final Caller caller;
    private final boolean secure;
    private final String scheme;

    CallerSecurityContext(Caller caller, boolean secure, String scheme) {
        this.caller = caller;
        this.secure = secure;
        this.scheme = scheme;
    }

    @Override
    public Principal getUserPrincipal() {
        return caller;
    }

    @Override
    public boolean isUserInRole(String role) {
        Role r = Roles.parse(role);
        return r != null && caller.has(r);
    }

    @Override
    public boolean isSecure() {
        return secure;
    }

    @Override
    public String getAuthenticationScheme() {
        return scheme;
    }
}
