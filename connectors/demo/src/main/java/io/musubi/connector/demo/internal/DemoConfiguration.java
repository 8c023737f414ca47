package io.musubi.connector.demo.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Musubi demo connector",
        description = "Turns each *.txt file dropped into a directory into one inbound web-chat message.")
public @interface DemoConfiguration {

    @AttributeDefinition(description = "Instance id, unique in the hub: [A-Za-z0-9._-]+")
    String id() default "demo";

    @AttributeDefinition(description = "Directory watched for *.txt files; relative paths are under karaf.data")
    String directory() default "demo/inbox";

    @AttributeDefinition(description = "Directory replies are written to, one <message-id>.txt each; relative paths are under karaf.data")
    String outbox() default "demo/outbox";

    @AttributeDefinition(description = "Tenant the messages belong to")
    String tenantId() default "default";

    @AttributeDefinition(description = "The customer address the messages come from")
    String from() default "webchat:demo-visitor";

    @AttributeDefinition(description = "Poll delay in milliseconds")
    long pollMillis() default 200;

    @AttributeDefinition(description = "Local queue of new interactions; empty: the tenant's default queue")
    String queue() default "";
}
