package io.musubi.store;

import io.musubi.model.Channel;
import io.musubi.model.InteractionEventType;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * A page request for one customer's journey: the customer's events across every channel, in time order.
 * Events of customers merged into this one are included; asking for a merged customer gives the survivor's
 * journey.
 *
 * <p>Build with {@link #of(String, String)} and the {@code with...} methods. Empty channel or type sets mean
 * "all". {@code from} is inclusive, {@code to} exclusive, either may be null. The cursor is the opaque
 * {@link JourneyPage#nextCursor()} of the previous page, or null for the first page; it is only valid with the
 * same customer, filters and direction.
 *
 * @param tenantId    tenant
 * @param customerId  customer
 * @param channels    only these channels; empty for all
 * @param types       only these event types; empty for all
 * @param from        only events at or after this time; null for no lower bound
 * @param to          only events before this time; null for no upper bound
 * @param limit       page size, 1 to {@value #MAX_LIMIT}
 * @param cursor      where the previous page ended, or null
 * @param newestFirst false for oldest first (the default), true for newest first
 */
public record JourneyQuery(String tenantId, String customerId, Set<Channel> channels, Set<InteractionEventType> types,
                           Instant from, Instant to, int limit, String cursor, boolean newestFirst) {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 1000;

    public JourneyQuery {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(customerId, "customerId");
        channels = channels == null || channels.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(channels));
        types = types == null || types.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(types));
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT);
        }
        if (from != null && to != null && !from.isBefore(to)) {
            throw new IllegalArgumentException("from must be before to");
        }
    }

    /** The first page, oldest first, all channels and types, {@value #DEFAULT_LIMIT} events. */
    public static JourneyQuery of(String tenantId, String customerId) {
        return new JourneyQuery(tenantId, customerId, Set.of(), Set.of(), null, null, DEFAULT_LIMIT, null, false);
    }

    public JourneyQuery withChannels(Set<Channel> newChannels) {
        return new JourneyQuery(tenantId, customerId, newChannels, types, from, to, limit, cursor, newestFirst);
    }

    public JourneyQuery withTypes(Set<InteractionEventType> newTypes) {
        return new JourneyQuery(tenantId, customerId, channels, newTypes, from, to, limit, cursor, newestFirst);
    }

    /** Events in {@code [newFrom, newTo)}; either bound may be null. */
    public JourneyQuery withTimeRange(Instant newFrom, Instant newTo) {
        return new JourneyQuery(tenantId, customerId, channels, types, newFrom, newTo, limit, cursor, newestFirst);
    }

    public JourneyQuery withLimit(int newLimit) {
        return new JourneyQuery(tenantId, customerId, channels, types, from, to, newLimit, cursor, newestFirst);
    }

    /** The page after the one that returned this cursor. */
    public JourneyQuery after(String newCursor) {
        return new JourneyQuery(tenantId, customerId, channels, types, from, to, limit, newCursor, newestFirst);
    }

    public JourneyQuery newestFirst(boolean newNewestFirst) {
        return new JourneyQuery(tenantId, customerId, channels, types, from, to, limit, cursor, newNewestFirst);
    }
}
