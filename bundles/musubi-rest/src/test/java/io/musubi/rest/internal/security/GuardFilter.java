package io.musubi.rest.internal.security;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;

/**
 * The {@link RequestGuard} on a container without servlets (the JDK HTTP server of the tests), the way
 * {@link SecurityFilter} puts it on the whiteboard; the client address comes from a test header so tests can act
 * as several clients.
 */
@Priority(Priorities.AUTHENTICATION)
final class GuardFilter implements ContainerRequestFilter {

    static final String REMOTE = "X-Test-Remote";

    private final RequestGuard guard;

    @Context
    private ResourceInfo resourceInfo;

    GuardFilter(RequestGuard guard) {
        this.guard = guard;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String remote = request.getHeaderString(REMOTE);
        guard.check(request, resourceInfo, remote == null ? "127.0.0.1" : remote);
    }
}
