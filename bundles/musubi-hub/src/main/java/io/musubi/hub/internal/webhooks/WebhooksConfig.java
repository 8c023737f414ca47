package io.musubi.hub.internal.webhooks;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the outbound webhooks, PID {@code io.musubi.rest.webhooks} (etc/io.musubi.rest.webhooks.cfg). */
@ObjectClassDefinition(name = "Musubi webhooks",
        description = "Outbound webhooks: signed POSTs of the hub's events, retried with back-off (docs/events.md).")
public @interface WebhooksConfig {

    @AttributeDefinition(name = "Allow http to loopback",
            description = "Accept http:// URLs to 127.0.0.1, ::1 or localhost (a local relay, tests). Other URLs "
                    + "must be https.")
    boolean allowHttpLoopback() default false;

    @AttributeDefinition(name = "Allowed internal targets",
            description = "Receivers that may be on loopback, link-local, private or other non-public addresses: "
                    + "CIDR ranges (10.1.2.0/24, fd00:1::/64), single addresses (10.1.2.3) and host names "
                    + "(crm.internal.example, which may then resolve to any address), separated by commas. Empty: "
                    + "public addresses only. Checked when a webhook is created and before every delivery "
                    + "(docs/security.md).")
    String allowedTargets() default "";

    @AttributeDefinition(name = "Connect timeout (seconds)", min = "1")
    int connectTimeoutSeconds() default 5;

    @AttributeDefinition(name = "Response timeout (seconds)", min = "1",
            description = "Longest wait for the receiver's response status after the request was sent.")
    int readTimeoutSeconds() default 10;

    @AttributeDefinition(name = "First retry delay (seconds)", min = "1",
            description = "The delay after the first failed attempt; it doubles with every further failure.")
    int retryBaseSeconds() default 5;

    @AttributeDefinition(name = "Longest retry delay (seconds)", min = "1")
    int retryCapSeconds() default 3600;

    @AttributeDefinition(name = "Attempts", min = "1",
            description = "Attempts per delivery before it is marked failed.")
    int maxAttempts() default 10;

    @AttributeDefinition(name = "Parallel deliveries", min = "1")
    int concurrency() default 4;

    @AttributeDefinition(name = "Poll interval (milliseconds)", min = "10",
            description = "How often the dispatcher looks for deliveries due for a retry.")
    int pollMillis() default 1000;

    @AttributeDefinition(name = "Delivery log retention (days)", min = "0",
            description = "Delivered and failed deliveries older than this are deleted; 0 keeps them.")
    int retentionDays() default 30;

    @AttributeDefinition(name = "Webhooks per tenant", min = "1")
    int maxSubscriptionsPerTenant() default 50;
}
