package io.musubi.hub.events;

import io.musubi.model.InteractionEventType;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The types of the API's events (docs/events.md): the interaction event types in lower case ({@code offered},
 * {@code message_in}) and {@value #PRESENCE}; on the stream only, {@value #RESET}.
 */
public final class EventTypes {

    /** The type of agents' presence changes. */
    public static final String PRESENCE = "presence";
    /** The type of the stream's "events were missed" notice (SSE only, never a webhook). */
    public static final String RESET = "reset";
    /** Every type an event can have (not {@value #RESET}), in a stable order. */
    public static final Set<String> ALL;

    static {
        Set<String> types = new LinkedHashSet<>();
        Arrays.stream(InteractionEventType.values()).map(EventTypes::of).forEach(types::add);
        types.add(PRESENCE);
        ALL = Collections.unmodifiableSet(types);
    }

    private EventTypes() {
    }

    /** The API type of an interaction event type. */
    public static String of(InteractionEventType type) {
        return type.name().toLowerCase(Locale.ROOT);
    }
}
