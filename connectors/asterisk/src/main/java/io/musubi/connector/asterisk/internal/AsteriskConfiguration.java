package io.musubi.connector.asterisk.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * One PBX ({@code etc/io.musubi.connector.asterisk-<name>.cfg}); every attribute is described in
 * docs/connectors/asterisk.md. The AMI secret is read from an owner-only file or an environment variable, never written
 * in the configuration.
 */
@ObjectClassDefinition(name = "Musubi Asterisk connector",
        description = "An Asterisk PBX over AMI: calls as VOICE interactions, agent phones, call control.")
public @interface AsteriskConfiguration {

    @AttributeDefinition(description = "Instance id, unique in the hub: [A-Za-z0-9._-]+")
    String id() default "asterisk";

    @AttributeDefinition(description = "Tenant the PBX's calls and agents belong to")
    String tenantId() default "default";

    @AttributeDefinition(description = "hub-routed (the hub's ACD picks the agent) or pbx-routed (app_queue does)")
    String mode() default "hub-routed";

    @AttributeDefinition(description = "AMI host")
    String host() default "127.0.0.1";

    @AttributeDefinition(description = "AMI port (5038, or 5039 with TLS)")
    int port() default 5038;

    @AttributeDefinition(description = "AMI over TLS, the server checked against the JVM's trust store")
    boolean tls() default false;

    @AttributeDefinition(description = "AMI user (manager.conf section)")
    String username() default "";

    @AttributeDefinition(description = "File holding the AMI secret (owner-only: mode 600 or 400)")
    String secretFile() default "";

    @AttributeDefinition(description = "Environment variable holding the AMI secret, when no secretFile is set")
    String secretEnv() default "";

    @AttributeDefinition(description = "Context and extension a waiting call is sent back to (music on hold)")
    String holdContext() default "hub-route";

    String holdExtension() default "hold";

    @AttributeDefinition(description = "Extension in holdContext the agent's line waits in while the hub holds a call")
    String agentHoldExtension() default "agent-hold";

    @AttributeDefinition(description = "Context whose extensions ring agents (routeExtensionTemplate); hub-routed")
    String routeContext() default "hub-route";

    @AttributeDefinition(description = "Context a call is transferred to (extensions and numbers)")
    String transferContext() default "hub-route";

    @AttributeDefinition(description = "Context click-to-dial calls the customer from")
    String outboundContext() default "outbound";

    @AttributeDefinition(description = "Agent to PBX extension, agentId=extension each; empty: agent ids are extensions")
    String[] agents() default {};

    @AttributeDefinition(description = "The agent's phone device (device state); {ext} is the agent's extension")
    String deviceTemplate() default "PJSIP/{ext}";

    @AttributeDefinition(description = "Extension in routeContext that rings the agent")
    String routeExtensionTemplate() default "{ext}";

    @AttributeDefinition(description = "Dial string of the agent's phone (click-to-dial, monitoring)")
    String dialTemplate() default "PJSIP/{ext}";

    @AttributeDefinition(description = "Queue member interface of the agent; pbx-routed")
    String memberInterfaceTemplate() default "PJSIP/{ext}";

    @AttributeDefinition(description = "Asterisk queues the connector adds logged-in agents to; pbx-routed")
    String[] memberQueues() default {};

    @AttributeDefinition(description = "Asterisk queue to Musubi queue, asteriskQueue=musubiQueue each; pbx-routed")
    String[] queueMap() default {};

    @AttributeDefinition(description = "Channel variables (VarSet, ChanVariable) kept as IVR data on the interaction")
    String[] ivrVariables() default {"IVR_CHOICE"};

    @AttributeDefinition(description = "IVR_CHOICE value to Musubi queue, choice=queue each")
    String[] choiceQueues() default {};

    @AttributeDefinition(description = "Musubi queue of calls that name none; empty: the tenant's default queue")
    String defaultQueue() default "";

    @AttributeDefinition(description = "Directory MixMonitor writes recordings to, on the PBX host")
    String recordingDirectory() default "/var/spool/asterisk/monitor";

    @AttributeDefinition(description = "Context and extension of voicemail for calls the ACD overflows to voicemail; "
            + "empty context: not redirected")
    String voicemailContext() default "";

    String voicemailExtension() default "s";

    @AttributeDefinition(description = "Dial string of a supervisor's phone for monitoring; {ext} is the extension")
    String supervisorDialTemplate() default "PJSIP/{ext}";

    @AttributeDefinition(description = "Seconds between AMI pings (liveness)")
    int pingSeconds() default 20;

    @AttributeDefinition(description = "Milliseconds to wait for an AMI response")
    int responseTimeoutMillis() default 5000;

    @AttributeDefinition(description = "First reconnect delay in milliseconds (doubles up to reconnectMaxMillis)")
    int reconnectMillis() default 500;

    int reconnectMaxMillis() default 30000;

    @AttributeDefinition(description = "Seconds between full checks of agents' queue-member pause state; pbx-routed")
    int memberSyncSeconds() default 60;
}
