package io.musubi.hub.internal.ingress;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Musubi ingress gateway",
        description = "How connectors hand inbound events to the hub, and when the hub holds them back.")
public @interface IngressGatewayConfiguration {

    String PID = "io.musubi.ingress.gateway";

    @AttributeDefinition(description = "Events waiting in the ingress queue from which connectors' submissions are "
            + "held (webhook answers delayed) and then refused (503) until the hub has worked some off")
    long maxIngressBacklog() default 20_000;

    @AttributeDefinition(description = "How long one submission is held at most, in milliseconds (keep it well "
            + "under the providers' webhook timeouts)")
    long backlogWaitMillis() default 2_000;

    @AttributeDefinition(description = "Submissions held at once at most; more are refused at once")
    int maxHeldSubmissions() default 64;

    @AttributeDefinition(description = "The retry hint given with a refusal, in seconds")
    long retryAfterSeconds() default 5;
}
