package io.musubi.store;

import io.musubi.model.InteractionEvent;
import java.util.List;
import java.util.Optional;

/**
 * One page of a journey.
 *
 * @param events     the events, in the query's order
 * @param nextCursor the opaque cursor for the next page ({@link JourneyQuery#after(String)}), or null when this
 *                   is the last page
 */
public record JourneyPage(List<InteractionEvent> events, String nextCursor) {
    public JourneyPage {
        events = List.copyOf(events);
    }

    public boolean hasMore() {
        return nextCursor != null;
    }

    public Optional<String> nextCursorIfAny() {
        return Optional.ofNullable(nextCursor);
    }
}
