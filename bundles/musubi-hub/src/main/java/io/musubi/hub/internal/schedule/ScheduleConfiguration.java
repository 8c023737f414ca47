package io.musubi.hub.internal.schedule;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** PID {@code io.musubi.schedule}: when held-back interactions (call-backs for a chosen time) are queued. */
@ObjectClassDefinition(name = "Musubi scheduled interactions",
        description = "Call-backs and other interactions held back until a chosen time, then queued like any arrival.")
public @interface ScheduleConfiguration {

    @AttributeDefinition(description = "Queue a held-back interaction this many seconds before its time (so an agent "
            + "is free to call at the time promised); 0: at its time", min = "0")
    long leadSeconds() default 0;

    @AttributeDefinition(description = "How often the scheduler looks for interactions that fell due, in milliseconds",
            min = "10")
    long tickMillis() default 250;
}
