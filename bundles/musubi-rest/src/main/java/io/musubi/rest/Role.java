package io.musubi.rest;

/**
 * What a caller may do (DESIGN §9). An API key or a token carries one or more roles.
 * <ul>
 *   <li>{@link #AGENT}: acts as one agent (its own presence, the offers made to it, its interactions);</li>
 *   <li>{@link #SUPERVISOR}: sees and steers every agent and queue of the tenant;</li>
 *   <li>{@link #ADMIN}: everything in the tenant, including agents, queues, API keys and webhooks;</li>
 *   <li>{@link #INTEGRATION}: a vendor's system: creates interactions, sends messages, reads customers and
 *   events, manages webhooks.</li>
 *   <li>{@link #METRICS}: a monitoring system (Prometheus): reads {@code /api/v1/metrics} and nothing else.</li>
 * </ul>
 */
public enum Role {
    AGENT,
    SUPERVISOR,
    ADMIN,
    INTEGRATION,
    METRICS;

    /** The role name as written in tokens and configuration (lower case). */
    public String claim() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
