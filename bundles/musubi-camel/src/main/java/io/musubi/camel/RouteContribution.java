package io.musubi.camel;

import org.apache.camel.RoutesBuilder;

/**
 * How a bundle contributes Camel routes to the hub: register an implementation as an OSGi service with the
 * property {@link MusubiCamel#CONTEXT_PROPERTY} naming its context. The runtime calls
 * {@link #createRoutes()} each time it builds that context, so a route builder is never reused across
 * context restarts, and stops the context when the service goes away.
 */
@FunctionalInterface
public interface RouteContribution {

    /** A fresh route builder; usually a {@link MusubiRouteBuilder}. */
    RoutesBuilder createRoutes();
}
