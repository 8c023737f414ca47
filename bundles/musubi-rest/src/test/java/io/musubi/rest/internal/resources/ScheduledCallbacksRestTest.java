package io.musubi.rest.internal.resources;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.musubi.acd.Acd;
import io.musubi.acd.AcdEngine;
import io.musubi.acd.AgentDefinition;
import io.musubi.acd.QueueDefinition;
import io.musubi.api.OutboundGateway;
import io.musubi.hub.internal.events.AcdHistoryRecorder;
import io.musubi.hub.internal.events.HubEvents;
import io.musubi.hub.internal.ingress.IngressProcessor;
import io.musubi.hub.internal.schedule.InteractionScheduler;
import io.musubi.hub.internal.menu.LiveChannelMenuPolicy;
import io.musubi.identity.IdentityServices;
import io.musubi.model.InteractionState;
import io.musubi.rest.Role;
import io.musubi.rest.internal.app.ObjectMapperResolver;
import io.musubi.store.jdbc.JdbcSettings;
import io.musubi.store.jdbc.JdbcStore;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A customer's call-back for a later time over HTTP, on the real ingress, scheduler, engine and H2 store: it is held
 * back (listed under {@code GET /queues/{id}/scheduled}, not waiting), and {@code POST /interactions/{id}/end} cancels
 * it.
 */
class ScheduledCallbacksRestTest {

    private static final String SUPERVISOR = ResourceServer.caller("acme", null, Role.SUPERVISOR);
    private static final String ADMIN = ResourceServer.caller("acme", null, Role.ADMIN);
    private static final String ALICE = ResourceServer.caller("acme", "alice", Role.AGENT);
    private static final String OTHER = ResourceServer.caller("other", null, Role.SUPERVISOR);

    private JdbcStore store;
    private AcdEngine acd;
    private InteractionScheduler scheduler;
    private ResourceServer server;

    @BeforeEach
    void start() throws Exception {
        store = JdbcStore.open(JdbcSettings.embedded(Path.of("target", "h2", "scheduled-" + UUID.randomUUID()))
                .withMaxPoolSize(4));
        acd = Acd.newEngine(Clock.systemUTC());
        acd.defineQueue(QueueDefinition.builder("acme/callbacks").channels(io.musubi.model.Channel.VOICE).build());
        acd.defineQueue(QueueDefinition.builder("other/callbacks").channels(io.musubi.model.Channel.VOICE).build());
        acd.defineAgent(AgentDefinition.builder("acme/alice").build());
        HubEvents events = new HubEvents();
        acd.addListener(new AcdHistoryRecorder(store.store(), store.transactions(), events).listener());
        scheduler = new InteractionScheduler(acd, store.store(), store.transactions(), events, Clock.systemUTC(),
                Duration.ZERO);
        IngressProcessor ingress = new IngressProcessor(IdentityServices.create(store.customers(), "JP"),
                store.store(), store.idempotency(), acd, "default", true, List::of, events, store.transactions(),
                scheduler::defer);
        OutboundGateway noConnector = (tenant, interaction, messageId, content, attributes, actor) -> {
            throw new IllegalStateException("no connector in this test");
        };
        ChannelMenuResource menus = new ChannelMenuResource(new LiveChannelMenuPolicy(acd), new ResourceServer.MemoryDefinitions(), ingress);
        InteractionsResource interactions = new InteractionsResource(acd, store.store(), ingress, noConnector);
        interactions.bindScheduled(scheduler);
        server = ResourceServer.start(menus, new PublicChannelMenuResource(menus, ingress, Clock.systemUTC()),
                interactions, new ScheduledResource(acd, scheduler));
        assertThat(server.send("PUT", "channel-menu/entry-points/web", ADMIN, """
                {"name":"Web","published":true,"options":[
                  {"channel":"VOICE","queueId":"callbacks","label":"Call back","reach":{"kind":"CALLBACK"}}]}""")
                .statusCode()).isEqualTo(201);
    }

    @AfterEach
    void stop() {
        server.close();
        store.close();
    }

    private JsonNode json(HttpResponse<String> r) throws Exception {
        return ObjectMapperResolver.mapper().readTree(r.body());
    }

    private JsonNode scheduled(String caller) throws Exception {
        HttpResponse<String> r = server.send("GET", "queues/callbacks/scheduled", caller, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json(r).get("items");
    }

    @Test
    void aCallBackForLaterIsListedNotWaitingAndEndingItCancelsIt() throws Exception {
        Instant at = Instant.now().plus(Duration.ofHours(2)).truncatedTo(ChronoUnit.SECONDS);
        HttpResponse<String> requested = server.send("POST", "public/channel-menu/acme/web/callback", null,
                "{\"phone\":\"+81 3-1234-5678\",\"at\":\"" + at + "\",\"note\":\"after lunch\"}");
        assertThat(requested.statusCode()).as(requested.body()).isEqualTo(202);

        assertThat(acd.waiting("acme/callbacks")).as("held back, not waiting").isEmpty();
        JsonNode items = scheduled(SUPERVISOR);
        assertThat(items).hasSize(1);
        assertThat(Instant.parse(items.get(0).get("dueAt").asText())).isEqualTo(at);
        assertThat(Instant.parse(items.get(0).get("queueAt").asText())).isEqualTo(at);
        JsonNode interaction = items.get(0).get("interaction");
        assertThat(interaction.get("state").asText()).isEqualTo("NEW");
        String id = interaction.get("id").asText();

        assertThat(scheduled(OTHER)).as("another tenant's queue of the same name").isEmpty();
        assertThat(server.send("GET", "queues/nope/scheduled", SUPERVISOR, null).statusCode()).isEqualTo(404);
        assertThat(server.send("POST", "interactions/" + id + "/end", ALICE, "{}").statusCode())
                .as("not offered to her: not hers to end").isEqualTo(404);
        HttpResponse<String> withDisposition = server.send("POST", "interactions/" + id + "/end", SUPERVISOR,
                "{\"disposition\":\"solved\"}");
        assertThat(withDisposition.statusCode()).as("nothing was handled").isEqualTo(409);
        assertThat(scheduled(SUPERVISOR)).hasSize(1);

        HttpResponse<String> ended = server.send("POST", "interactions/" + id + "/end", SUPERVISOR, "{}");
        assertThat(ended.statusCode()).as(ended.body()).isEqualTo(200);
        assertThat(json(ended).get("state").asText()).isEqualTo("ENDED");
        assertThat(store.store().findInteraction("acme", id).orElseThrow().state()).isEqualTo(InteractionState.ENDED);
        assertThat(scheduled(SUPERVISOR)).isEmpty();
        assertThat(server.send("POST", "interactions/" + id + "/end", SUPERVISOR, "{}").statusCode())
                .as("ended already: the ACD does not know it").isEqualTo(404);
    }

    @Test
    void aCallBackAsSoonAsPossibleIsWaitingAtOnce() throws Exception {
        HttpResponse<String> requested = server.send("POST", "public/channel-menu/acme/web/callback", null,
                "{\"phone\":\"+81 3-1234-5678\"}");
        assertThat(requested.statusCode()).as(requested.body()).isEqualTo(202);
        assertThat(acd.waiting("acme/callbacks")).hasSize(1);
        assertThat(scheduled(SUPERVISOR)).isEmpty();
    }
}
