package io.musubi.connector.asterisk.internal;

import io.musubi.acd.Actors;
import io.musubi.acd.AgentDefinition;
import io.musubi.testkit.ManualClock;
import io.musubi.acd.QueueDefinition;
import io.musubi.connector.asterisk.ami.AmiMessage;
import io.musubi.connector.asterisk.ami.Await;
import io.musubi.connector.asterisk.ami.ScriptedAmiServer;
import io.musubi.model.Channel;
import io.musubi.model.Interaction;
import io.musubi.model.InteractionEvent;
import io.musubi.model.InteractionEventType;
import io.musubi.model.PresenceState;
import io.musubi.hub.internal.ingress.HubHarness;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A connector under test with real parts: the hub's ingress processing, history (H2) and ACD ({@link HubHarness}), and
 * a {@link ScriptedAmiServer} standing in for Asterisk 22. Tenant {@code t1}, queue {@code support} (VOICE, no
 * wrap-up), agents {@code 1001}, {@code 1002}, {@code 9001} (their ids are their extensions).
 */
final class TestPbx implements AutoCloseable {

    static final String T = "t1";
    static final String SECRET = "hubsecret";
    static final Duration WAIT = Duration.ofSeconds(30);

    final ManualClock clock = new ManualClock(Instant.parse("2026-11-22T10:00:00Z"));
    final HubHarness hub;
    final ScriptedAmiServer server;
    final AsteriskSettings settings;
    final AsteriskPbx pbx;
    ScriptedAmiServer.Session session;
    private final Map<String, String> byThread = new java.util.concurrent.ConcurrentHashMap<>();

    private TestPbx(Path dir, Map<String, Object> config, java.util.function.Consumer<HubHarness> setUp)
            throws Exception {
        hub = HubHarness.open(dir, clock);
        hub.acd().defineQueue(QueueDefinition.builder(T + "/support").channels(Channel.VOICE).build());
        for (String a : List.of("1001", "1002", "9001")) {
            hub.acd().defineAgent(AgentDefinition.builder(T + "/" + a).build());
        }
        setUp.accept(hub);
        server = ScriptedAmiServer.start("hub", SECRET);
        server.handle("CoreShowChannels", ScriptedAmiServer.emptyList("CoreShowChannelsComplete"))
                .handle("QueueStatus", ScriptedAmiServer.emptyList("QueueStatusComplete"))
                .handle("DeviceStateList", ScriptedAmiServer.emptyList("DeviceStateListComplete"))
                .handle("Getvar", (a, id) -> List.of("Response: Success\r\nActionID: " + id + "\r\nVariable: "
                        + a.first("Variable").orElse("") + "\r\nValue: \r\n\r\n"))
                .handle("Redirect", ScriptedAmiServer.success("Redirect successful"))
                .handle("Hangup", ScriptedAmiServer.success("Channel Hungup"))
                .handle("QueueAdd", ScriptedAmiServer.success("Added interface to queue"))
                .handle("QueueRemove", ScriptedAmiServer.success("Removed interface from queue"))
                .handle("QueuePause", ScriptedAmiServer.success("Interface paused successfully"))
                .handle("Originate", ScriptedAmiServer.success("Originate successfully queued"))
                .handle("Bridge", ScriptedAmiServer.success("Channels have been bridged"));
        Map<String, Object> c = new HashMap<>();
        c.put("id", "pbx1");
        c.put("tenantId", T);
        c.put("port", server.port());
        c.put("username", "hub");
        c.put("secretEnv", "AMI_SECRET");
        c.put("reconnectMillis", 20);
        c.put("reconnectMaxMillis", 200);
        c.put("responseTimeoutMillis", 3000);
        c.putAll(config);
        settings = AsteriskSettings.from(config(c), name -> "AMI_SECRET".equals(name) ? SECRET : null);
        pbx = new AsteriskPbx(settings, hub.ingress(), hub.acd(), clock, AmiSession.DEFAULT_FACTORY);
        hub.addListener(pbx);
        hub.addListener(e -> hub.history().findInteraction(e.tenantId(), e.interactionId())
                .ifPresent(i -> byThread.putIfAbsent(i.threadKey(), i.id())));
    }

    static TestPbx start(Path dir, Map<String, Object> config) throws Exception {
        return start(dir, config, h -> { });
    }

    static TestPbx start(Path dir, Map<String, Object> config, java.util.function.Consumer<HubHarness> setUp)
            throws Exception {
        TestPbx t = new TestPbx(dir, config, setUp);
        t.pbx.start();
        t.session = t.server.awaitLogin(WAIT);
        t.awaitResynced(1);
        return t;
    }

    /** A configuration with the annotation's defaults and these values. */
    static AsteriskConfiguration config(Map<String, Object> values) {
        return (AsteriskConfiguration) Proxy.newProxyInstance(AsteriskConfiguration.class.getClassLoader(),
                new Class<?>[] {AsteriskConfiguration.class}, (proxy, method, args) -> {
                    if (values.containsKey(method.getName())) {
                        return values.get(method.getName());
                    }
                    if (method.getDefaultValue() != null) {
                        return method.getDefaultValue();
                    }
                    return switch (method.getName()) {
                        case "annotationType" -> AsteriskConfiguration.class;
                        case "toString" -> "AsteriskConfiguration" + values;
                        case "hashCode" -> values.hashCode();
                        case "equals" -> proxy == args[0];
                        default -> throw new IllegalStateException(method.getName());
                    };
                });
    }

    /** Waits until the connector finished its n-th re-sync (its DeviceStateList is the last step). */
    void awaitResynced(int n) throws Exception {
        Await.until("re-sync " + n, WAIT, () -> server.actions("DeviceStateList").size() >= n);
        pbx.drain();
    }

    void available(String agent) {
        hub.acd().setPresence(T + "/" + agent, PresenceState.AVAILABLE, "", Actors.agent(T + "/" + agent));
    }

    /** The (first) interaction whose thread key (Linkedid) is this, once it exists. */
    Interaction interaction(String threadKey) {
        Await.until("interaction of call " + threadKey, WAIT, () -> byThread.containsKey(threadKey));
        return stored(byThread.get(threadKey));
    }

    boolean hasInteraction(String threadKey) {
        return byThread.containsKey(threadKey);
    }

    Interaction stored(String interactionId) {
        return hub.history().findInteraction(T, interactionId).orElseThrow();
    }

    List<InteractionEvent> events(String interactionId) {
        return hub.history().interactionEvents(T, interactionId);
    }

    List<InteractionEventType> types(String interactionId) {
        return events(interactionId).stream().map(InteractionEvent::type).toList();
    }

    void awaitEvent(String interactionId, InteractionEventType type) {
        Await.until(type + " on " + interactionId, WAIT, () -> types(interactionId).contains(type));
    }

    void awaitState(String interactionId, io.musubi.model.InteractionState state) {
        Await.until(interactionId + " " + state, WAIT, () -> stored(interactionId).state() == state);
    }

    void awaitAction(String action, int count) {
        Await.until(count + " " + action, WAIT, () -> server.actions(action).size() >= count);
    }

    AmiMessage lastAction(String action) {
        List<AmiMessage> l = server.actions(action);
        return l.get(l.size() - 1);
    }

    @Override
    public void close() {
        pbx.close();
        server.close();
        hub.close();
    }
}
