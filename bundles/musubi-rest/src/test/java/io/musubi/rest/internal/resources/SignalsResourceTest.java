package io.musubi.rest.internal.resources;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.musubi.acd.AcdConfig;
import io.musubi.acd.internal.AcdCore;
import io.musubi.store.jdbc.JdbcStore;
import io.musubi.store.jdbc.JdbcSettings;
import io.musubi.model.Address;
import io.musubi.model.Channel;
import io.musubi.model.Interaction;
import io.musubi.model.InteractionState;
import io.musubi.rest.internal.app.ObjectMapperResolver;
import io.musubi.rest.Role;
import io.musubi.spi.Connector;
import io.musubi.spi.LiveChannel;
import io.musubi.spi.LiveSignal;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code /interactions/{id}/signals} end to end with a stand-in connector's live channel. */
class SignalsResourceTest {

    static final String ALICE = ResourceServer.caller("acme", "alice", Role.AGENT);
    static final String BOB = ResourceServer.caller("acme", "bob", Role.AGENT);
    static final String SUPERVISOR = ResourceServer.caller("acme", null, Role.SUPERVISOR);
    static final String OTHER_TENANT = ResourceServer.caller("other", null, Role.ADMIN);
    static final Address VISITOR = Address.parse("webchat:v-1");

    /** What a connector's live channel would do: records sends, remembers subscribers. */
    static final class FakeChannel implements LiveChannel {
        final List<Object[]> sent = new CopyOnWriteArrayList<>();
        final List<Consumer<LiveSignal>> subscribers = new CopyOnWriteArrayList<>();
        volatile boolean connected = true;

        @Override
        public boolean send(String tenantId, Address customer, LiveSignal signal) {
            if (!connected) {
                return false;
            }
            sent.add(new Object[] {tenantId, customer, signal});
            return true;
        }

        @Override
        public Subscription subscribe(String tenantId, Address customer, Consumer<LiveSignal> listener) {
            assertThat(tenantId).isEqualTo("acme");
            assertThat(customer).isEqualTo(VISITOR);
            listener.accept(new LiveSignal("rtc.config", "", "{\"iceServers\":[]}"));
            subscribers.add(listener);
            return () -> subscribers.remove(listener);
        }
    }

    private JdbcStore history;
    private SignalsResource resource;
    private ResourceServer server;
    private final FakeChannel channel = new FakeChannel();

    @BeforeEach
    void start() {
        history = JdbcStore.open(JdbcSettings.embedded(Path.of("target", "h2", "signals-" + UUID.randomUUID())));
        resource = new SignalsResource(new AcdCore(AcdConfig.defaults(), Clock.systemUTC()), history.store());
        resource.addChannel(channel, Map.of(Connector.ID_PROPERTY, "web"));
        save("i-1", "web", "acme/alice", InteractionState.CONNECTED);
        save("i-2", "web", "acme/alice", InteractionState.CONNECTED);
        save("i-api", "api", "acme/alice", InteractionState.CONNECTED);
        save("i-done", "web", "acme/alice", InteractionState.ENDED);
        server = ResourceServer.start(resource);
    }

    @AfterEach
    void stop() {
        server.close();
        resource.deactivate();
        history.close();
    }

    private void save(String id, String source, String agent, InteractionState state) {
        Instant now = Instant.now();
        history.store().saveInteraction(new Interaction(id, "acme", Channel.WEBCHAT, "c-1", VISITOR, null, "v-1",
                "acme/support", 0, Map.of("musubi.source", source), state, now, now, agent, ""));
    }

    @Test
    void theAssignedAgentSendsASignalToItsCustomerTiedToTheInteraction() throws Exception {
        HttpResponse<String> r = server.send("POST", "interactions/i-1/signals", ALICE,
                "{\"type\":\"rtc.offer\",\"data\":{\"sdp\":\"v=0\",\"type\":\"offer\"}}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        assertThat(channel.sent).hasSize(1);
        LiveSignal s = (LiveSignal) channel.sent.get(0)[2];
        assertThat(channel.sent.get(0)[0]).isEqualTo("acme");
        assertThat(channel.sent.get(0)[1]).isEqualTo(VISITOR);
        assertThat(s.type()).isEqualTo("rtc.offer");
        assertThat(s.interactionId()).isEqualTo("i-1");
        assertThat(ObjectMapperResolver.mapper().readTree(s.data()).path("sdp").asText()).isEqualTo("v=0");
        assertThat(server.send("POST", "interactions/i-1/signals", SUPERVISOR, "{\"type\":\"typing\"}").statusCode())
                .isEqualTo(202);
    }

    @Test
    void signalsAreRefusedToOthersAndWhereNoClientCanTakeThem() throws Exception {
        String typing = "{\"type\":\"typing\",\"data\":{\"typing\":true}}";
        assertThat(server.send("POST", "interactions/i-1/signals", BOB, typing).statusCode()).isEqualTo(404);
        assertThat(server.send("POST", "interactions/i-1/signals", OTHER_TENANT, typing).statusCode()).isEqualTo(404);
        assertThat(server.send("POST", "interactions/nope/signals", ALICE, typing).statusCode()).isEqualTo(404);
        assertThat(server.send("POST", "interactions/i-done/signals", ALICE, typing).statusCode()).isEqualTo(409);
        HttpResponse<String> noLive = server.send("POST", "interactions/i-api/signals", ALICE, typing);
        assertThat(noLive.statusCode()).isEqualTo(409);
        assertThat(noLive.body()).contains("no live connection");
        assertThat(server.send("POST", "interactions/i-1/signals", ALICE, "{\"type\":\"Bad Type\"}").body())
                .contains("signal type");
        HttpResponse<String> big = server.send("POST", "interactions/i-1/signals", ALICE,
                "{\"type\":\"rtc.offer\",\"data\":{\"sdp\":\"" + "x".repeat(LiveSignal.MAX_DATA) + "\"}}");
        assertThat(big.statusCode()).isEqualTo(400);
        assertThat(big.body()).contains("data: at most");
        assertThat(channel.sent).isEmpty();
        channel.connected = false;
        HttpResponse<String> away = server.send("POST", "interactions/i-1/signals", ALICE, typing);
        assertThat(away.statusCode()).isEqualTo(409);
        assertThat(away.body()).contains("not connected");
    }

    @Test
    void theStreamCarriesTheCustomersSignalsForThisInteractionOnly() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(server.uri("interactions/i-1/signals"))
                .header("Accept", "text/event-stream").header(ResourceServer.CALLER, ALICE).GET().build();
        HttpResponse<Stream<String>> response = server.client().send(request, HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try {
                response.body().forEach(lines::add);
            } catch (java.io.UncheckedIOException closedByTheTest) {
                // the test closed the stream
            }
        });
        reader.setDaemon(true);
        reader.start();

        JsonNode config = nextEvent(lines, "rtc.config");
        assertThat(config.path("data").path("iceServers").isArray()).isTrue();
        assertThat(channel.subscribers).hasSize(1);
        channel.subscribers.get(0).accept(new LiveSignal("rtc.answer", "i-2", "{\"sdp\":\"other\"}"));
        channel.subscribers.get(0).accept(new LiveSignal("typing", "", "{\"typing\":true}"));
        channel.subscribers.get(0).accept(new LiveSignal("rtc.answer", "i-1", "{\"sdp\":\"mine\"}"));
        assertThat(nextEvent(lines, "typing").path("data").path("typing").asBoolean()).isTrue();
        JsonNode answer = nextEvent(lines, "rtc.answer");
        assertThat(answer.path("interactionId").asText()).isEqualTo("i-1");
        assertThat(answer.path("data").path("sdp").asText()).as("i-2's answer is not on i-1's stream").isEqualTo("mine");

        assertThat(server.send("GET", "interactions/i-1/signals", BOB, null).statusCode()).isEqualTo(404);
        response.body().close();
    }

    /** The data of the next event named {@code type}, skipping comments and other events. */
    private static JsonNode nextEvent(BlockingQueue<String> lines, String type) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        String name = null;
        while (System.nanoTime() < deadline) {
            String line = lines.poll(100, TimeUnit.MILLISECONDS);
            if (line == null) {
                continue;
            }
            if (line.startsWith("event:")) {
                name = line.substring(6).strip();
            } else if (line.startsWith("data:") && type.equals(name)) {
                return ObjectMapperResolver.mapper().readTree(line.substring(5).strip());
            } else if (line.isEmpty()) {
                name = null;
            }
        }
        throw new AssertionError("no " + type + " event within 10 s");
    }
}
