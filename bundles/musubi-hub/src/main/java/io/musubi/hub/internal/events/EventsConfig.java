package io.musubi.hub.internal.events;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the event stream, PID {@code io.musubi.rest.events} (etc/io.musubi.rest.events.cfg). */
@ObjectClassDefinition(name = "Musubi event stream",
        description = "The hub's events as Server-Sent Events (GET /api/v1/events): resume buffer, per-stream "
                + "queue, heartbeat.")
public @interface EventsConfig {

    @AttributeDefinition(name = "Resume buffer (events)", min = "1",
            description = "The newest events held in memory, for every tenant together, so a client that "
                    + "reconnects with Last-Event-ID gets what it missed. Older: the client gets a 'reset' event. "
                    + "Every held event ends up in the JVM's old generation: a large buffer under a high event rate "
                    + "makes full garbage collections frequent (docs/events.md).")
    int ringSize() default 2_000;

    @AttributeDefinition(name = "Queue per stream (events)", min = "1",
            description = "Events waiting to be written to one client. A client that falls this far behind is "
                    + "disconnected (it reconnects and resumes); it never slows the hub down.")
    int subscriberQueueSize() default 1_000;

    @AttributeDefinition(name = "Heartbeat (seconds)", min = "1",
            description = "A comment line sent on every stream this often, so proxies keep idle connections open "
                    + "and dead clients are noticed.")
    int heartbeatSeconds() default 15;

    @AttributeDefinition(name = "Most open streams", min = "1",
            description = "More concurrent streams are refused with 503.")
    int maxStreams() default 1_000;
}
