package io.musubi.broker.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Musubi broker client",
        description = "How the hub reaches its embedded ActiveMQ Artemis broker (AMQP 1.0).")
public @interface BrokerConfiguration {

    @AttributeDefinition(description = "Broker host; the embedded broker listens on loopback only")
    String host() default "127.0.0.1";

    @AttributeDefinition(description = "AMQP port of the broker (etc/artemis.xml)")
    int port() default 5672;

    @AttributeDefinition(description = "The hub's broker user; its secret is generated on first start")
    String user() default "musubi-hub";

    @AttributeDefinition(description = "Secret file, relative to karaf.etc unless absolute")
    String secretFile() default "musubi/broker.secret";

    @AttributeDefinition(description = "Pooled connections to the broker")
    int maxConnections() default 4;

    @AttributeDefinition(description = "Connect timeout in milliseconds")
    int connectTimeoutMillis() default 2000;
}
