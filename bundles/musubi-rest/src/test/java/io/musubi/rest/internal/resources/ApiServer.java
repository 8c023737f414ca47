package io.musubi.rest.internal.resources;

import io.musubi.hub.internal.menu.LiveChannelMenuPolicy;
import io.musubi.hub.definitions.AcdDefinitions;
import io.musubi.hub.internal.definitions.Definitions;
import io.musubi.acd.Acd;
import io.musubi.acd.AcdAttributes;
import io.musubi.acd.AcdEngine;
import io.musubi.acd.AcdListener;
import io.musubi.api.InteractionIntake;
import io.musubi.api.OutboundGateway;
import io.musubi.store.jdbc.JdbcStore;
import io.musubi.store.jdbc.JdbcSettings;
import io.musubi.identity.IdentityService;
import io.musubi.identity.IdentityServices;
import io.musubi.identity.InvalidAddressException;
import io.musubi.model.Channel;
import io.musubi.model.InboundEvent;
import io.musubi.model.Interaction;
import io.musubi.model.InteractionEvent;
import io.musubi.model.InteractionEventType;
import io.musubi.model.InteractionState;
import io.musubi.model.OutboundMessage;
import io.musubi.model.PresenceChange;
import io.musubi.model.ScopedId;
import io.musubi.rest.internal.app.MusubiApplication;
import io.musubi.rest.internal.security.Caller;
import io.musubi.rest.Role;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.jersey.grizzly2.httpserver.GrizzlyHttpServerFactory;
import org.glassfish.jersey.server.ResourceConfig;

/**
 * The API's resources (agents, queues, interactions, customers, channel menu, connectors) in the hub's Jakarta REST
 * application on a real HTTP server, over a real ACD engine and a real history store on H2. The ingress pipeline is
 * a small stand-in ({@link Intake}) that stores what it is given the way the hub does: so a test sees whether a
 * refused request stored anything. Authentication is a stand-in too: the header {@value #CALLER}
 * {@code tenant;role,role;agentId} becomes the request's caller.
 */
final class ApiServer implements AutoCloseable {

    static final String CALLER = "X-Test-Caller";
    static final String ADMIN = caller("acme", null, Role.ADMIN);
    static final String VENDOR = caller("acme", null, Role.INTEGRATION);

    final JdbcStore history;
    final AcdEngine acd;
    final IdentityService identity;
    final Intake intake;
    private final HttpServer server;
    private final URI base;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).build();

    ApiServer() {
        history = JdbcStore.open(JdbcSettings.embedded(Path.of("target", "h2", "api-" + UUID.randomUUID()))
                .withMaxPoolSize(4));
        acd = Acd.newEngine(Clock.systemUTC());
        identity = IdentityServices.create(history.customers(), "JP");
        intake = new Intake();
        acd.addListener(new StateRecorder());
        AcdDefinitions definitions = new Definitions(acd, history.definitions());
        OutboundGateway gateway = (tenant, interaction, messageId, content, attributes, actor) ->
                new OutboundMessage(messageId, tenant, interaction, "api", Channel.CUSTOM,
                        history.store().findInteraction(tenant, interaction).orElseThrow().from(), content,
                        attributes, java.time.Instant.now());
        MusubiApplication application = new MusubiApplication();
        ResourceConfig config = new ResourceConfig().addProperties(application.getProperties())
                .registerClasses(application.getClasses()).registerInstances(application.getSingletons())
                .register(TestServer.StandInAuthentication.class)
                .register(new AgentsResource(acd, definitions))
                .register(new QueuesResource(acd, definitions))
                .register(new InteractionsResource(acd, history.store(), intake, gateway))
                .register(new CustomersResource(identity, history.store()))
                .register(new ChannelMenuResource(new LiveChannelMenuPolicy(acd), history.definitions(), intake))
                .register(new ConnectorsResource());
        server = GrizzlyHttpServerFactory.createHttpServer(URI.create("http://127.0.0.1:0/api/v1/"), config, true);
        base = URI.create("http://127.0.0.1:" + server.getListeners().iterator().next().getPort() + "/api/v1/");
    }

    /** {@code tenant;roles;agentId} for the stand-in authentication. */
    static String caller(String tenant, String agentId, Role... roles) {
        return tenant + ";" + Arrays.stream(roles).map(Role::claim).collect(Collectors.joining(",")) + ";"
                + (agentId == null ? "" : agentId);
    }

    HttpResponse<String> send(String method, String path, String caller, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(20))
                .header(CALLER, caller).header("Accept", "application/json");
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        b.method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    URI uri(String path) {
        return base.resolve(path);
    }

    @Override
    public void close() {
        server.shutdownNow();
        history.close();
    }

    /**
     * The ingress pipeline reduced to what the API relies on: the customer resolved from {@code from}, the open
     * interaction of the thread joined or a new one stored and queued, the message recorded.
     */
    final class Intake implements InteractionIntake {
        final AtomicInteger submitted = new AtomicInteger();

        @Override
        public synchronized Interaction submit(InboundEvent e) {
            submitted.incrementAndGet();
            String customerId;
            try {
                customerId = identity.resolve(e.tenantId(), e.from()).customer().id();
            } catch (InvalidAddressException ex) {
                customerId = "";
            }
            String thread = e.threadKey().isEmpty() ? e.from().uri() : e.threadKey();
            Interaction interaction = history.store().findOpenInteraction(e.tenantId(), e.channel(), thread)
                    .orElse(null);
            if (interaction == null) {
                String wanted = e.attributes().get("musubi.queue");
                String queue = wanted == null ? "" : ScopedId.of(e.tenantId(), wanted);
                Map<String, String> attributes = new HashMap<>(e.attributes());
                attributes.put("musubi.source", e.source());
                interaction = new Interaction("i-" + UUID.nameUUIDFromBytes((e.tenantId() + '/' + e.eventId())
                        .getBytes(StandardCharsets.UTF_8)), e.tenantId(), e.channel(), customerId, e.from(), e.to(),
                        thread, acd.queueStatistics(queue).isPresent() ? queue : "", 0, attributes,
                        InteractionState.NEW, e.occurredAt(), e.occurredAt(), "", "");
                history.store().saveInteraction(interaction);
                history.store().append(InteractionEvent.of("e-" + interaction.id(), e.tenantId(), interaction.id(),
                        customerId, e.channel(), InteractionEventType.ARRIVED, e.occurredAt(), "connector:api",
                        Map.of()));
                if (!interaction.queueId().isEmpty()) {
                    acd.enqueue(interaction);
                }
            }
            if (e.type() == InteractionEventType.MESSAGE_IN) {
                history.store().append(new InteractionEvent("m-" + UUID.randomUUID(), e.tenantId(),
                        interaction.id(), customerId, e.channel(), e.type(), e.occurredAt(), "customer", Map.of(),
                        e.content()));
            }
            return interaction;
        }

        @Override
        public void record(InteractionEvent event) {
            history.store().append(event);
        }
    }

    /**
     * Keeps the stored interaction's state in step with the engine, as the hub's ACD recorder does: the state after a
     * routing event, with its agent and queue.
     */
    final class StateRecorder implements AcdListener {
        @Override
        public void onInteractionEvent(InteractionEvent e) {
            InteractionState state = switch (e.type()) {
                case QUEUED, REJECTED, OFFER_TIMEOUT -> InteractionState.QUEUED;
                case OFFERED -> InteractionState.OFFERED;
                case ACCEPTED, RESUMED -> InteractionState.CONNECTED;
                case HELD -> InteractionState.HELD;
                case WRAP_UP -> InteractionState.WRAP_UP;
                case ENDED -> InteractionState.ENDED;
                case ABANDONED -> InteractionState.ABANDONED;
                default -> null;
            };
            if (state == null) {
                return;
            }
            history.store().findInteraction(e.tenantId(), e.interactionId()).ifPresent(i -> history.store()
                    .saveInteraction(new Interaction(i.id(), i.tenantId(), i.channel(), i.customerId(), i.from(),
                            i.to(), i.threadKey(), e.attributes().getOrDefault(AcdAttributes.QUEUE_ID, i.queueId()),
                            i.priority(), i.attributes(), state, i.createdAt(), e.timestamp(),
                            e.attributes().getOrDefault(AcdAttributes.AGENT_ID, i.agentId()), i.disposition())));
        }

        @Override
        public void onPresenceChange(PresenceChange change) {
            // presence is not stored
        }
    }
}
