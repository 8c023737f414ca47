package io.musubi.connector.line.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * One LINE channel (a LINE Official Account with the Messaging API), as a factory configuration
 * {@code etc/io.musubi.connector.line-<name>.cfg}. Every attribute is documented in docs/connectors/line.md.
 * Secrets are never in the configuration: it names an owner-only file (relative paths under {@code karaf.etc}) or an
 * environment variable holding each.
 */
@ObjectClassDefinition(name = "Musubi LINE connector",
        description = "A LINE Messaging API channel: webhook at /webhooks/line/<id>, replies by reply token or push")
public @interface LineConfiguration {

    @AttributeDefinition(description = "Instance id, unique in the hub: [A-Za-z0-9._-]+; the webhook path is "
            + "/webhooks/line/<id>")
    String id() default "line";

    @AttributeDefinition(description = "Tenant the channel's conversations belong to")
    String tenantId() default "default";

    @AttributeDefinition(description = "File holding the channel secret (owner-only; relative to karaf.etc)")
    String channelSecretFile() default "";

    @AttributeDefinition(description = "Environment variable holding the channel secret (instead of the file)")
    String channelSecretEnv() default "";

    @AttributeDefinition(description = "File holding the channel access token (owner-only; relative to karaf.etc)")
    String channelAccessTokenFile() default "";

    @AttributeDefinition(description = "Environment variable holding the channel access token (instead of the file)")
    String channelAccessTokenEnv() default "";

    @AttributeDefinition(description = "Base URL of the Messaging API (reply, push)")
    String apiBaseUrl() default "https://api.line.me";

    @AttributeDefinition(description = "Base URL of the content API (media of messages)")
    String dataApiBaseUrl() default "https://api-data.line.me";

    @AttributeDefinition(description = "Local queue of new interactions; empty: the tenant's default queue")
    String queue() default "";

    @AttributeDefinition(description = "Largest webhook body accepted, in bytes (413 beyond)", type = AttributeType.INTEGER)
    int maxWebhookBytes() default 1_048_576;

    @AttributeDefinition(description = "Largest media content stored, in bytes (larger content is recorded as "
            + "unavailable)", type = AttributeType.LONG)
    long contentMaxBytes() default 104_857_600L;

    @AttributeDefinition(description = "Seconds a reply token is valid after its event (LINE: one minute)",
            type = AttributeType.LONG)
    long replyTokenValiditySeconds() default 60;

    @AttributeDefinition(description = "Seconds before a reply token's expiry after which push is used instead",
            type = AttributeType.LONG)
    long replyTokenMarginSeconds() default 10;

    @AttributeDefinition(description = "Timeout of one request to LINE, in seconds", type = AttributeType.LONG)
    long requestTimeoutSeconds() default 10;

    @AttributeDefinition(description = "Redeliveries of a reply or a content fetch before it is dead-lettered",
            type = AttributeType.INTEGER)
    int maxRedeliveries() default 30;

    @AttributeDefinition(description = "Longest delay between two redeliveries, in seconds", type = AttributeType.LONG)
    long maxRedeliveryDelaySeconds() default 60;
}
