package io.musubi.rest.internal.resources;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.musubi.acd.AcdAttributes;
import io.musubi.hub.internal.events.EventBus;
import io.musubi.hub.internal.events.SseFrames;
import io.musubi.hub.internal.events.TestEventBus;
import io.musubi.model.Channel;
import io.musubi.model.InteractionEvent;
import io.musubi.model.InteractionEventType;
import io.musubi.model.MessageContent;
import io.musubi.model.PresenceChange;
import io.musubi.model.PresenceState;
import io.musubi.rest.internal.app.ObjectMapperResolver;
import io.musubi.rest.Allowed;
import io.musubi.rest.Role;
import io.musubi.testkit.Await;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code GET /api/v1/events} end to end: Jersey on a real HTTP server, read by a real HTTP client. */
class EventsResourceTest {

    static final Duration WAIT = Duration.ofSeconds(10);
    static final Duration QUIET = Duration.ofMillis(300);
    static final String SUPERVISOR = TestServer.caller("acme", null, Role.SUPERVISOR);
    static final String ALICE = TestServer.caller("acme", "alice", Role.AGENT);

    private EventBus bus;
    private TestServer server;
    private final List<SseStream> streams = new ArrayList<>();
    private int seq;

    @BeforeEach
    void start() {
        bus = TestEventBus.start(3, 100, Duration.ofMillis(200), 20);
        server = TestServer.start(new EventsResource(bus));
    }

    @AfterEach
    void stop() {
        streams.forEach(SseStream::close);
        server.close();
        bus.close();
    }

    private SseStream open(String query, String caller, String lastEventId) throws Exception {
        SseStream s = SseStream.open(server.client(), server.uri("events" + query), caller, lastEventId);
        streams.add(s);
        assertThat(s.status()).isEqualTo(200);
        assertThat(s.contentType()).startsWith("text/event-stream");
        assertThat(s.nextComment(WAIT)).as("the connected comment").isNotNull();
        return s;
    }

    private HttpResponse<String> refused(String query, String caller, String lastEventId) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri("events" + query)).timeout(WAIT)
                .header("Accept", "text/event-stream").header(TestServer.CALLER, caller);
        if (lastEventId != null) {
            b.header("Last-Event-ID", lastEventId);
        }
        return server.client().send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private void offer(String interaction, String agent, String queue) {
        bus.onInteractionEvent(InteractionEvent.of("e" + (++seq), "acme", interaction, "c-" + interaction,
                Channel.LINE, InteractionEventType.OFFERED, Instant.now(), "system",
                Map.of(AcdAttributes.AGENT_ID, "acme/" + agent, AcdAttributes.QUEUE_ID, "acme/" + queue)));
    }

    private static JsonNode json(SseFrames.Frame f) throws Exception {
        return ObjectMapperResolver.mapper().readTree(f.data());
    }

    @Test
    void aSupervisorFollowsOneQueue() throws Exception {
        SseStream s = open("?queueId=support", SUPERVISOR, null);

        offer("i1", "bob", "billing");
        offer("i2", "alice", "support");
        bus.onInteractionEvent(new InteractionEvent("e-m", "acme", "i2", "c-i2", Channel.LINE,
                InteractionEventType.MESSAGE_IN, Instant.now(), "customer", Map.of(), MessageContent.text("hi")));

        SseFrames.Frame offered = s.nextEvent(WAIT);
        assertThat(offered.type()).isEqualTo("offered");
        assertThat(json(offered).get("id").asText()).isEqualTo(offered.id());
        assertThat(json(offered).get("interactionId").asText()).isEqualTo("i2");
        assertThat(json(offered).get("queueId").asText()).isEqualTo("support");
        assertThat(json(offered).has("tenantId")).isFalse();
        SseFrames.Frame message = s.nextEvent(WAIT);
        assertThat(message.type()).isEqualTo("message_in");
        assertThat(json(message).get("data").get("text").asText()).isEqualTo("hi");
        assertThat(Long.parseLong(message.id())).isEqualTo(Long.parseLong(offered.id()) + 1);
        assertThat(s.nextEvent(QUIET)).isNull();
    }

    @Test
    void lastEventIdHeaderResumesAfterThatEventThenGoesLive() throws Exception {
        long first = TestEventBus.nextId(bus);
        offer("i1", "alice", "support");
        offer("i2", "alice", "support");
        offer("i3", "alice", "support");

        SseStream s = open("", SUPERVISOR, Long.toString(first));
        offer("i4", "alice", "support");

        assertThat(s.nextEvent(WAIT).id()).isEqualTo(Long.toString(first + 1));
        assertThat(s.nextEvent(WAIT).id()).isEqualTo(Long.toString(first + 2));
        assertThat(s.nextEvent(WAIT).id()).isEqualTo(Long.toString(first + 3));
        assertThat(s.nextEvent(QUIET)).isNull();
    }

    @Test
    void theQueryParameterResumesAFirstConnectionAndTheHeaderWins() throws Exception {
        long first = TestEventBus.nextId(bus);
        offer("i1", "alice", "support");
        offer("i2", "alice", "support");

        SseStream byParam = open("?lastEventId=" + first, SUPERVISOR, null);
        SseStream headerWins = open("?lastEventId=" + first, SUPERVISOR, Long.toString(first + 1));

        assertThat(byParam.nextEvent(WAIT).id()).isEqualTo(Long.toString(first + 1));
        assertThat(headerWins.nextEvent(QUIET)).isNull();
    }

    @Test
    void anIdOlderThanTheBufferGetsResetFirst() throws Exception {
        long first = TestEventBus.nextId(bus);
        for (int i = 1; i <= 5; i++) {
            offer("i" + i, "alice", "support");
        }

        SseStream s = open("", SUPERVISOR, Long.toString(first));

        SseFrames.Frame reset = s.nextEvent(WAIT);
        assertThat(reset.type()).isEqualTo("reset");
        assertThat(json(reset).get("data").get("lastEventId").asText()).isEqualTo(Long.toString(first));
        assertThat(s.nextEvent(WAIT).id()).isEqualTo(Long.toString(first + 2));
    }

    @Test
    void anAgentSeesOnlyItselfEvenWhenItAsksForAnother() throws Exception {
        SseStream s = open("?agentId=bob", ALICE, null);
        SseStream own = open("", ALICE, null);

        offer("i1", "bob", "support");
        bus.onPresenceChange(new PresenceChange("p1", "acme", "acme/bob", PresenceState.AVAILABLE,
                PresenceState.BREAK, "", "system", Instant.now()));
        offer("i2", "alice", "support");

        SseFrames.Frame mine = own.nextEvent(WAIT);
        assertThat(json(mine).get("agentId").asText()).isEqualTo("alice");
        assertThat(own.nextEvent(QUIET)).isNull();
        assertThat(s.nextEvent(QUIET)).isNull();
    }

    @Test
    void anotherTenantsEventsNeverShow() throws Exception {
        SseStream s = open("", TestServer.caller("other", null, Role.ADMIN), null);

        offer("i1", "alice", "support");

        assertThat(s.nextEvent(QUIET)).isNull();
    }

    @Test
    void badFiltersAndIdsAreProblems() throws Exception {
        HttpResponse<String> type = refused("?type=offerd", SUPERVISOR, null);
        HttpResponse<String> agent = refused("?agentId=a%2Fb", SUPERVISOR, null);
        HttpResponse<String> id = refused("", SUPERVISOR, "yesterday");

        for (HttpResponse<String> r : List.of(type, agent, id)) {
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
                    v -> assertThat(v).startsWith("application/problem+json"));
        }
        assertThat(ObjectMapperResolver.mapper().readTree(type.body()).get("detail").asText())
                .startsWith("type: unknown event type");
        assertThat(ObjectMapperResolver.mapper().readTree(id.body()).get("status").asInt()).isEqualTo(400);
        assertThat(TestEventBus.streams(bus)).isZero();
    }

    @Test
    void agentCredentialsWithoutAnAgentAreForbidden() throws Exception {
        HttpResponse<String> r = refused("", TestServer.caller("acme", null, Role.AGENT), null);

        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(ObjectMapperResolver.mapper().readTree(r.body()).get("detail").asText()).contains("agent");
    }

    @Test
    void heartbeatsKeepTheStreamAndADisconnectedClientIsRemoved() throws Exception {
        SseStream s = open("", SUPERVISOR, null);
        assertThat(s.nextComment(WAIT).comment()).isEqualTo("heartbeat");
        assertThat(TestEventBus.streams(bus)).isEqualTo(1);

        s.close();

        Await.until("the stream removed after the client left", WAIT, () -> TestEventBus.streams(bus) == 0);
    }

    @Test
    void everyRoleMayOpenTheStream() {
        assertThat(EventsResource.class.getAnnotation(Allowed.class).value())
                .containsExactlyInAnyOrder(Role.AGENT, Role.SUPERVISOR, Role.ADMIN, Role.INTEGRATION);
    }
}
