package io.musubi.rest.internal.app;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the {@code Idempotency-Key} handling, PID {@value #PID} (etc/io.musubi.rest.idempotency.cfg). */
@ObjectClassDefinition(name = "Musubi REST Idempotency-Key",
        description = "How long a request may hold its Idempotency-Key before a retry can take it over.")
public @interface IdempotencyConfig {

    String PID = "io.musubi.rest.idempotency";

    @AttributeDefinition(name = "Claim timeout",
            description = "Seconds a request holds its Idempotency-Key while it runs; a retry of the same request "
                    + "after that takes the key over (the first request is taken for dead). Longer than any request "
                    + "takes.", min = "1")
    int claimTimeoutSeconds() default 60;
}
