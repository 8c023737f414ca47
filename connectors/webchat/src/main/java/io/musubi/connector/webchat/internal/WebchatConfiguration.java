package io.musubi.connector.webchat.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * One web chat instance (factory PID {@value #PID}, e.g. {@code etc/io.musubi.connector.webchat-web.cfg}). Its
 * visitor endpoints are at {@code /webchat/<id>/}. No secret is configured: the token key is generated on first
 * start into an owner-only file.
 */
@ObjectClassDefinition(name = "Musubi web chat connector",
        description = "Web chat and video calls for visitors of a web site, served by the hub itself.")
public @interface WebchatConfiguration {

    String PID = "io.musubi.connector.webchat";

    @AttributeDefinition(description = "Instance id, unique in the hub: [A-Za-z0-9._-]+; the path /webchat/<id>/")
    String id() default "web";

    @AttributeDefinition(description = "Tenant of the visitors' conversations")
    String tenantId() default "default";

    @AttributeDefinition(description = "Queue (local id) of new chats; empty: the tenant's default queue")
    String queue() default "";

    @AttributeDefinition(description = "Queue (local id) of video calls; empty: the chat queue")
    String videoQueue() default "";

    @AttributeDefinition(description = "File holding the key that signs visitor tokens, generated on first start "
            + "(owner-only); relative to karaf.etc; empty: musubi/webchat-<id>.key")
    String tokenKeyFile() default "";

    @AttributeDefinition(description = "Minutes a visitor token is valid; an open widget renews it before then",
            min = "5", max = "1440")
    int tokenMinutes() default 30;

    @AttributeDefinition(description = "Longest chat message, in characters", min = "1", max = "10000")
    int maxMessageChars() default 2000;

    @AttributeDefinition(description = "Hours a visitor's transcript is kept for page reloads after its last message",
            min = "1")
    int transcriptHours() default 24;

    @AttributeDefinition(description = "Visitor event streams open at most (each holds one thread while open)",
            min = "1")
    int maxStreams() default 500;

    @AttributeDefinition(description = "New visitor sessions per client address and minute", min = "1")
    int sessionsPerMinute() default 10;

    @AttributeDefinition(description = "Chat messages a visitor may send per second (burst: ten times this)",
            min = "0.1")
    double messagesPerSecond() default 1;

    @AttributeDefinition(description = "STUN/TURN server URLs given to both sides of a video call, separated by "
            + "commas, e.g. stun:stun.example.jp:3478, turn:turn.example.jp:3478?transport=udp; empty: host candidates "
            + "only (LAN)")
    String iceServers() default "";

    @AttributeDefinition(description = "File with coturn's static-auth-secret (use-auth-secret): turn: URLs get "
            + "short-lived credentials made from it; relative to karaf.etc; empty: TURN without credentials")
    String turnSecretFile() default "";

    @AttributeDefinition(description = "Seconds the generated TURN credentials are valid", min = "60")
    int turnTtlSeconds() default 3600;
}
