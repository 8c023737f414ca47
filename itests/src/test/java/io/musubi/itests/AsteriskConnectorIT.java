package io.musubi.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.musubi.acd.AcdEngine;
import io.musubi.acd.Actors;
import io.musubi.acd.AgentDefinition;
import io.musubi.acd.QueueDefinition;
import io.musubi.api.HubEventListener;
import io.musubi.connector.asterisk.ami.AmiMessage;
import io.musubi.connector.asterisk.ami.AmiTranscript;
import io.musubi.connector.asterisk.ami.ScriptedAmiServer;
import io.musubi.store.HistoryStore;
import io.musubi.model.Channel;
import io.musubi.model.InteractionEvent;
import io.musubi.model.InteractionEventType;
import io.musubi.model.PresenceState;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.inject.Inject;

import org.apache.karaf.features.FeaturesService;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerSuite;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceRegistration;

/**
 * The Asterisk connector in the real distribution: its feature installs (Asterisk-Java and its Guava, Reflections and
 * Javassist bundles resolve), and calls replayed from Asterisk 22's recorded side by the scripted AMI server, inside
 * the container, go through Asterisk-Java's event builder in OSGi (the hub's UserEvent, QueueCallerJoin, AgentConnect,
 * DialEnd, DeviceStateChange, ...) into the ACD and the history: one hub-routed call (05a) and one PBX-routed call
 * (03), plus an agent's phone state.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerSuite.class)
public class AsteriskConnectorIT extends MusubiTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final String T = "default";
    /** This test's own agents and queue (the container is shared with the other suites). */
    private static final String AGENT1 = T + "/ast-it-1";
    private static final String AGENT2 = T + "/ast-it-2";
    private static final String AGENTS = "ast-it-1=1001,ast-it-2=1002";
    private static final String QUEUE = "ast-it";

    @Inject
    private FeaturesService featuresService;

    @Inject
    private AcdEngine acd;

    @Inject
    private HistoryStore history;

    @Test
    public void callsOfBothModesGoThroughTheConnectorIntoTheAcdAndTheHistory() throws Exception {
        featuresService.installFeature("musubi-connector-asterisk");
        await("the connector bundles ACTIVE", WAIT, () -> bundle("org.asteriskjava").getState() == Bundle.ACTIVE
                && bundle("io.musubi.connector-asterisk").getState() == Bundle.ACTIVE);

        acd.defineQueue(QueueDefinition.builder(T + "/" + QUEUE).channels(Channel.VOICE).build());
        for (String a : List.of(AGENT1, AGENT2)) {
            acd.defineAgent(AgentDefinition.builder(a).build());
        }
        Map<String, String> byThread = new ConcurrentHashMap<>();
        List<InteractionEvent> recorded = new CopyOnWriteArrayList<>();
        ServiceRegistration<HubEventListener> listener = bundleContext.registerService(HubEventListener.class,
                e -> {
                    recorded.add(e);
                    history.findInteraction(e.tenantId(), e.interactionId())
                            .ifPresent(i -> byThread.putIfAbsent(i.threadKey(), i.id()));
                }, null);
        try (ScriptedAmiServer server = ScriptedAmiServer.start("hub", "it-secret")) {
            server.handle("CoreShowChannels", ScriptedAmiServer.emptyList("CoreShowChannelsComplete"))
                    .handle("QueueStatus", ScriptedAmiServer.emptyList("QueueStatusComplete"))
                    .handle("DeviceStateList", ScriptedAmiServer.emptyList("DeviceStateListComplete"))
                    .handle("Redirect", ScriptedAmiServer.success("Redirect successful"));
            Path secret = Path.of(System.getProperty("karaf.etc"), "musubi", "asterisk-it.secret");
            Files.createDirectories(secret.getParent());
            Files.writeString(secret, "it-secret", StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));

            // ---- hub-routed: 05a
            configure("hub", Map.of("mode", "hub-routed", "defaultQueue", QUEUE, "agents", AGENTS), server.port(), secret);
            ScriptedAmiServer.Session hub = server.awaitLogin(WAIT);
            await("hub-routed re-sync", WAIT, () -> server.actions("DeviceStateList").size() >= 1);
            acd.setPresence(AGENT1, PresenceState.AVAILABLE, "", Actors.agent(AGENT1));
            ScriptedAmiServer.Replay replay = hub.replay(AmiTranscript.load("05a-hub-redirect-routing.jsonl"), 1,
                    "Redirect");
            replay.untilNote("Redirect of a channel that no longer exists", WAIT);
            AmiMessage redirect = replay.answered().get(0);
            assertEquals("hub-route", redirect.first("Context").orElse(""));
            assertEquals("1001", redirect.first("Exten").orElse(""));
            await("the hub-routed call ended", WAIT, () -> ended(recorded, byThread.get("1795343846.0")));
            assertTrue(recorded.stream().anyMatch(e -> e.interactionId().equals(byThread.get("1795343846.0"))
                    && e.type() == InteractionEventType.ACCEPTED
                    && AGENT1.equals(e.attributes().get("agentId"))));

            // ---- pbx-routed: 03, in a second instance on the same PBX
            configure("pbx", Map.of("mode", "pbx-routed", "memberInterfaceTemplate", "Local/{ext}@agents/n",
                    "agents", AGENTS, "queueMap", "support=" + QUEUE), server.port(), secret);
            ScriptedAmiServer.Session pbx = server.awaitLogin(WAIT);
            await("pbx-routed re-sync", WAIT, () -> server.actions("DeviceStateList").size() >= 2);
            pbx.replay(AmiTranscript.load("03-queue-call-answered.jsonl"), 1).toEnd(WAIT);
            await("the pbx-routed call ended", WAIT, () -> ended(recorded, byThread.get("1795343806.0")));
            assertTrue(recorded.stream().anyMatch(e -> e.interactionId().equals(byThread.get("1795343806.0"))
                    && e.type() == InteractionEventType.ACCEPTED
                    && AGENT1.equals(e.attributes().get("agentId"))));

            // ---- an agent's phone in use: no offers, BUSY
            acd.setPresence(AGENT2, PresenceState.AVAILABLE, "", Actors.agent(AGENT2));
            pbx.send("Event: DeviceStateChange\r\nPrivilege: call,all\r\nTimestamp: 1795343870.000001\r\n"
                    + "Device: PJSIP/1002\r\nState: INUSE\r\n\r\n");
            await("device busy", WAIT, () -> acd.agent(AGENT2).orElseThrow().state() == PresenceState.BUSY);
            pbx.send("Event: DeviceStateChange\r\nPrivilege: call,all\r\nTimestamp: 1795343871.000001\r\n"
                    + "Device: PJSIP/1002\r\nState: NOT_INUSE\r\n\r\n");
            await("device idle", WAIT,
                    () -> acd.agent(AGENT2).orElseThrow().state() == PresenceState.AVAILABLE);

            String connectors = body("/api/v1/health");
            assertTrue(connectors, connectors.contains("asterisk-it-hub"));
            assertFalse(connectors, connectors.contains("it-secret"));
        } finally {
            listener.unregister();
            for (String name : List.of("hub", "pbx")) {
                Files.deleteIfExists(Path.of(System.getProperty("karaf.etc"), "io.musubi.connector.asterisk-it" + name
                        + ".cfg"));
            }
            acd.setPresence(AGENT1, PresenceState.OFFLINE, "", Actors.agent(AGENT1));
            acd.setPresence(AGENT2, PresenceState.OFFLINE, "", Actors.agent(AGENT2));
        }
    }

    private static boolean ended(List<InteractionEvent> recorded, String interactionId) {
        return interactionId != null && recorded.stream().anyMatch(e -> e.interactionId().equals(interactionId)
                && (e.type() == InteractionEventType.ENDED || e.type() == InteractionEventType.WRAP_UP));
    }

    private static void configure(String name, Map<String, String> extra, int port, Path secret) throws Exception {
        StringBuilder cfg = new StringBuilder();
        cfg.append("id = asterisk-it-").append(name).append('\n')
                .append("tenantId = ").append(T).append('\n')
                .append("host = 127.0.0.1\n")
                .append("port = ").append(port).append('\n')
                .append("username = hub\n")
                .append("secretFile = ").append(secret).append('\n')
                .append("reconnectMillis = 100\n");
        extra.forEach((k, v) -> cfg.append(k).append(" = ").append(v).append('\n'));
        Path file = Path.of(System.getProperty("karaf.etc"), "io.musubi.connector.asterisk-it" + name + ".cfg");
        Files.writeString(file, cfg.toString(), StandardCharsets.UTF_8);
    }
}
