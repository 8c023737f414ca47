package io.musubi.hub.internal.recovery;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * PID {@code io.musubi.recovery}: how the ACD comes back at start. The component also reads the ingress's
 * {@code defaultQueue} and {@code createDefaultQueue} (PID {@code io.musubi.ingress}), so it places work the way the
 * ingress would.
 */
@ObjectClassDefinition(name = "Musubi ACD recovery",
        description = "Rebuilding the ACD's routing state from the store when the hub starts.")
public @interface RecoveryConfiguration {

    @AttributeDefinition(description = "Agents get their last presence back when the hub was down at most this long "
            + "(counted from the last change the store holds); after a longer outage they come back OFFLINE. "
            + "0: always OFFLINE. Assigned work is kept either way.", min = "0")
    int presenceGraceSeconds() default 300;

    @AttributeDefinition(description = "The ingress's default queue (PID io.musubi.ingress)")
    String defaultQueue() default "default";

    @AttributeDefinition(description = "The ingress creates the default queue when missing (PID io.musubi.ingress)")
    boolean createDefaultQueue() default true;
}
