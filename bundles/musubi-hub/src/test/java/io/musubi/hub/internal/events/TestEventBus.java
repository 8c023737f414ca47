package io.musubi.hub.internal.events;

import java.time.Clock;
import java.time.Duration;

/** Builds an {@link EventBus} for tests outside its package: the webhook engine's, the REST adapters'. */
public final class TestEventBus {

    private TestEventBus() {
    }

    /** A bus on the system clock, without a history store to look assignments up in; close it after the test. */
    public static EventBus start(int ringSize, int queueSize, Duration heartbeat, int maxStreams) {
        return new EventBus(new EventBus.Settings(ringSize, queueSize, heartbeat, maxStreams), Clock.systemUTC(),
                AssignmentLookup.NONE);
    }

    /** The id the bus gives its next event. */
    public static long nextId(EventBus bus) {
        return bus.nextId();
    }

    /** The streams open on the bus. */
    public static int streams(EventBus bus) {
        return bus.streams();
    }
}
