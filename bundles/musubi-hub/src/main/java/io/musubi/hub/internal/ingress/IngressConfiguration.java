package io.musubi.hub.internal.ingress;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Musubi ingress pipeline",
        description = "How inbound events become interactions: de-duplication, identity, history, ACD.")
public @interface IngressConfiguration {

    @AttributeDefinition(description = "Queue for new interactions whose event names none (attribute musubi.queue)")
    String defaultQueue() default "default";

    @AttributeDefinition(description = "Create the default queue (every channel, longest-idle) when the ACD has none")
    boolean createDefaultQueue() default true;

    @AttributeDefinition(description = "Synchronous submissions (REST API, channel menu) processed at once; more wait")
    int maxConcurrentSubmits() default 64;

    @AttributeDefinition(description = "How long a submission waits for its turn before it is refused as busy (429), "
            + "in milliseconds")
    long submitWaitMillis() default 2_000;
}
