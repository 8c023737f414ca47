package io.musubi.hub.internal.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.musubi.hub.internal.events.AcdHistoryRecorder;
import io.musubi.hub.internal.events.HubEvents;
import io.musubi.hub.internal.egress.EgressGateway;
import io.musubi.acd.Acd;
import io.musubi.acd.AcdEngine;
import io.musubi.testkit.ManualClock;
import io.musubi.acd.QueueDefinition;
import io.musubi.store.jdbc.JdbcStore;
import io.musubi.store.JourneyQuery;
import io.musubi.identity.IdentityServices;
import io.musubi.model.Address;
import io.musubi.model.Channel;
import io.musubi.model.InboundEvent;
import io.musubi.model.Interaction;
import io.musubi.model.InteractionEvent;
import io.musubi.model.InteractionEventType;
import io.musubi.model.MessageContent;
import io.musubi.model.OutboundMessage;
import io.musubi.spi.ConnectorAttributes;
import io.musubi.spi.ConnectorEvents;
import io.musubi.spi.DeliveryStatus;
import io.musubi.spi.MalformedInputException;

import io.musubi.testkit.TestStores;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hub's side of the connector contract: delivery statuses recorded on the message's interaction, connector data
 * ({@code reply.*}) kept on the interaction and carried into replies, conversation message groups.
 */
class ConnectorContractTest {

    private static final String T = "t1";
    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    private static final Address USER = Address.parse("line:U4af4980629");

    @TempDir
    Path dir;

    private JdbcStore history;
    private AcdEngine acd;
    private IngressProcessor processor;
    private final List<InboundEvent> told = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        history = TestStores.h2(dir.resolve("history"));
        acd = Acd.newEngine(new ManualClock(T0));
        acd.defineQueue(QueueDefinition.builder(T + "/default").channels(Channel.values()).build());
        acd.addListener(new AcdHistoryRecorder(history.store(), history.transactions(), new HubEvents()).listener());
        processor = new IngressProcessor(IdentityServices.create(history.customers(), "JP"), history.store(),
                history.idempotency(), acd, "default", false, () -> List.of(told::add), new HubEvents(), history.transactions());
    }

    @AfterEach
    void tearDown() {
        history.close();
    }

    private static InboundEvent message(String id, Map<String, String> attributes, Instant at) {
        return new InboundEvent(id, "line.main", T, Channel.LINE, InteractionEventType.MESSAGE_IN, USER,
                Address.parse("line:@musubi"), "U4af4980629", MessageContent.text("hello"), attributes, at);
    }

    @Test
    void replyDataOfTheLatestMessageIsKeptOnTheInteractionAndCarriedIntoReplies() {
        Interaction first = processor.submit(message("m1", Map.of("reply.line.replyToken", "tok-1",
                "line.webhookEventId", "w1"), T0));
        assertThat(first.attributes()).containsEntry("reply.line.replyToken", "tok-1");
        Interaction second = processor.submit(message("m2", Map.of("reply.line.replyToken", "tok-2"),
                T0.plusSeconds(5)));
        assertThat(second.id()).isEqualTo(first.id());
        Interaction stored = history.store().findInteraction(T, first.id()).orElseThrow();
        assertThat(stored.attributes()).containsEntry("reply.line.replyToken", "tok-2");

        Map<String, String> out = EgressGateway.withReplyData(stored,
                Map.of("subject", "Re: hello", "reply.line.replyToken", "forged"));
        assertThat(out).containsEntry("reply.line.replyToken", "tok-2").containsEntry("subject", "Re: hello");
    }

    @Test
    void deliveryStatusesAreRecordedOnTheMessagesInteractionOnceAndNeverRouted() {
        Interaction i = processor.submit(message("m1", Map.of(), T0));
        OutboundMessage sent = new OutboundMessage("o-1", T, i.id(), "line.main", Channel.LINE, USER,
                MessageContent.text("hi"), Map.of(), T0.plusSeconds(1));
        InboundEvent status = ConnectorEvents.messageStatus("o-1/sent", sent, DeliveryStatus.SENT, "p-1", "",
                Map.of(), T0.plusSeconds(2));
        assertThat(processor.submit(status).id()).isEqualTo(i.id());
        processor.submit(status); // a redelivery changes nothing

        List<InteractionEvent> statuses = history.store().journey(JourneyQuery.of(T, i.customerId())).events()
                .stream().filter(e -> e.type() == InteractionEventType.MESSAGE_STATUS).toList();
        assertThat(statuses).hasSize(1);
        assertThat(statuses.get(0).interactionId()).isEqualTo(i.id());
        assertThat(statuses.get(0).attributes()).containsEntry("messageId", "o-1").containsEntry("status", "sent")
                .containsEntry("providerMessageId", "p-1");
    }

    @Test
    void aStatusForAnUnknownInteractionIsMalformed() {
        OutboundMessage ghost = new OutboundMessage("o-9", T, "i-missing", "line.main", Channel.LINE, USER,
                MessageContent.text("hi"), Map.of(), T0);
        assertThatThrownBy(() -> processor.submit(ConnectorEvents.messageStatus("o-9/sent", ghost,
                DeliveryStatus.SENT, "", "", Map.of(), T0))).isInstanceOf(MalformedInputException.class);
    }

    @Test
    void eventsOfOneConversationShareAMessageGroupThatRevealsNoAddress() {
        String a = BrokerIngressGateway.conversationGroup(message("m1", Map.of(), T0));
        String b = BrokerIngressGateway.conversationGroup(message("m2", Map.of(), T0.plusSeconds(9)));
        InboundEvent other = new InboundEvent("m3", "line.main", T, Channel.LINE, InteractionEventType.MESSAGE_IN,
                Address.parse("line:U0000000001"), null, "", MessageContent.text("x"), Map.of(), T0);
        assertThat(a).isEqualTo(b).doesNotContain("U4af4980629");
        assertThat(BrokerIngressGateway.conversationGroup(other)).isNotEqualTo(a);
    }
    private static InboundEvent note(String id, String source, Instant at) {
        return new InboundEvent(id, source, T, Channel.LINE, InteractionEventType.NOTE, USER, null, "U4af4980629",
                MessageContent.text("unfollowed"), Map.of(ConnectorAttributes.JOIN_ONLY, "true", "line.event", "unfollow"),
                at);
    }

    @Test
    void aJoinOnlyEventWithNoOpenInteractionOpensNothingButResolvesTheCustomerAndTellsListeners() throws Exception {
        assertThat(processor.handle(note("n1", "line.main", T0))).isTrue();

        assertThat(history.store().findOpenInteraction(T, Channel.LINE, "U4af4980629")).isEmpty();
        assertThat(acd.waiting(T + "/default")).isEmpty();
        assertThat(history.customers().findByAddress(T, USER)).isPresent();
        assertThat(told).extracting(InboundEvent::eventId).containsExactly("n1");
        assertThat(history.idempotency().isProcessed(T, "line.main", "n1")).isTrue();
        assertThat(processor.handle(note("n1", "line.main", T0))).as("a redelivery is a duplicate").isFalse();
        assertThat(told).hasSize(1);
    }

    @Test
    void aJoinOnlyEventIsRecordedOnTheOpenInteraction() throws Exception {
        Interaction open = processor.submit(message("m1", Map.of(), T0));
        assertThat(processor.handle(note("n2", "line.main", T0.plusSeconds(3)))).isTrue();

        List<InteractionEvent> notes = history.store().interactionEvents(T, open.id()).stream()
                .filter(e -> e.type() == InteractionEventType.NOTE).toList();
        assertThat(notes).hasSize(1);
        assertThat(acd.waiting(T + "/default")).hasSize(1);
    }

    @Test
    void theRestApiCannotMakeAnEventJoinOnly() {
        Interaction opened = processor.submit(note("n3", io.musubi.api.InteractionIntake.API_SOURCE, T0));
        assertThat(history.store().findOpenInteraction(T, Channel.LINE, "U4af4980629")).map(Interaction::id)
                .contains(opened.id());
    }
}
