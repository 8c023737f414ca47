package io.musubi.connector.twilio.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * One Twilio account's SMS numbers (or Messaging Service), as a factory configuration
 * {@code etc/io.musubi.connector.twilio-<name>.cfg}. Every attribute is documented in docs/connectors/twilio.md.
 * Secrets are never in the configuration: it names an owner-only file (relative paths under {@code karaf.etc}) or an
 * environment variable holding each.
 */
@ObjectClassDefinition(name = "Musubi Twilio SMS connector",
        description = "A Twilio account's SMS/MMS numbers: webhook at /webhooks/twilio/<id>, replies through the "
                + "Messages API, status callbacks recorded on the message")
public @interface TwilioConfiguration {

    @AttributeDefinition(description = "Instance id, unique in the hub: [A-Za-z0-9._-]+; the webhook path is "
            + "/webhooks/twilio/<id>")
    String id() default "twilio";

    @AttributeDefinition(description = "Tenant the conversations belong to")
    String tenantId() default "default";

    @AttributeDefinition(description = "The account SID (AC + 32 hex digits)")
    String accountSid() default "";

    @AttributeDefinition(description = "File holding the account's auth token (owner-only; relative to karaf.etc); "
            + "it checks the webhooks' signatures, and authenticates API calls unless an API key is configured")
    String authTokenFile() default "";

    @AttributeDefinition(description = "Environment variable holding the auth token (instead of the file)")
    String authTokenEnv() default "";

    @AttributeDefinition(description = "An API key SID (SK + 32 hex digits) to call the API with instead of the "
            + "account SID and auth token; empty: the auth token")
    String apiKeySid() default "";

    @AttributeDefinition(description = "File holding the API key's secret (owner-only; relative to karaf.etc)")
    String apiKeySecretFile() default "";

    @AttributeDefinition(description = "Environment variable holding the API key's secret (instead of the file)")
    String apiKeySecretEnv() default "";

    @AttributeDefinition(description = "Messaging Service SID (MG + 32 hex digits) replies are sent through; empty: "
            + "from the numbers below")
    String messagingServiceSid() default "";

    @AttributeDefinition(description = "The numbers replies may come from, E.164, comma-separated: a reply comes from "
            + "the number the customer wrote to when it is one of them, else from the first")
    String[] fromNumbers() default {};

    @AttributeDefinition(description = "The public base URL Twilio calls the hub at (scheme, host, port if not the "
            + "default, path prefix of the reverse proxy), e.g. https://hub.example.com; the webhook URL is "
            + "<publicBaseUrl>/webhooks/twilio/<id>")
    String publicBaseUrl() default "";

    @AttributeDefinition(description = "Whether replies ask Twilio for status callbacks (queued, sent, delivered, "
            + "failed, undelivered) at the webhook URL")
    boolean statusCallbacks() default true;

    @AttributeDefinition(description = "Local queue of new interactions; empty: the tenant's default queue")
    String queue() default "";

    @AttributeDefinition(description = "Base URL of Twilio's REST API")
    String apiBaseUrl() default "https://api.twilio.com";

    @AttributeDefinition(description = "Largest MMS media stored, in bytes (larger media is recorded as unavailable)",
            type = AttributeType.LONG)
    long mediaMaxBytes() default 10_485_760L;

    @AttributeDefinition(description = "Largest webhook body accepted, in bytes (413 beyond)",
            type = AttributeType.INTEGER)
    int maxWebhookBytes() default 262_144;

    @AttributeDefinition(description = "Timeout of one request to Twilio, in seconds", type = AttributeType.LONG)
    long requestTimeoutSeconds() default 15;

    @AttributeDefinition(description = "Redeliveries of a reply or a media fetch before it is dead-lettered",
            type = AttributeType.INTEGER)
    int maxRedeliveries() default 30;

    @AttributeDefinition(description = "Longest delay between two redeliveries, in seconds", type = AttributeType.LONG)
    long maxRedeliveryDelaySeconds() default 60;

    @AttributeDefinition(description = "Seconds an attempt of unknown outcome must be old before a lookup at Twilio "
            + "that does not find it lets the reply be sent again", type = AttributeType.LONG)
    long settleSeconds() default 15;

    @AttributeDefinition(description = "Directory of the outbound ledger; relative paths are under karaf.data; "
            + "empty: twilio/<id>")
    String stateDirectory() default "";

    @AttributeDefinition(description = "Days the outbound ledger keeps a message's record (its MessageSid and last "
            + "status)", type = AttributeType.INTEGER)
    int ledgerRetentionDays() default 14;
}
