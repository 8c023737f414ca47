package io.musubi.hub.internal.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.musubi.acd.AcdAttributes;
import io.musubi.api.OutboundAddressPolicy;
import io.musubi.hub.events.WebhookSubscriptions;
import io.musubi.hub.internal.events.EventBus;
import io.musubi.hub.internal.events.TestEventBus;
import io.musubi.model.Channel;
import io.musubi.model.InteractionEvent;
import io.musubi.model.InteractionEventType;
import io.musubi.store.WebhookSubscription;
import io.musubi.store.jdbc.JdbcSettings;
import io.musubi.store.jdbc.JdbcStore;
import io.musubi.testkit.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The rules a webhook subscription must pass, and that a change reaches the delivery at once. */
class WebhookServiceTest {

    private JdbcStore store;
    private EventBus bus;
    private WebhookDispatcher dispatcher;
    private WebhookSubscriptions webhooks;

    @BeforeEach
    void open() {
        store = JdbcStore.open(JdbcSettings.embedded(Path.of("target", "h2", "webhook-service-" + UUID.randomUUID()))
                .withMaxPoolSize(2));
        bus = TestEventBus.start(100, 100, Duration.ofMinutes(1), 10);
        dispatcher = TestWebhooks.dispatcher(store.webhooks(), true, 2,
                OutboundAddressPolicy.allowing("127.0.0.1").withResolver(new TestDns()), bus);
        webhooks = TestWebhooks.subscriptions(store.webhooks(), dispatcher);
    }

    @AfterEach
    void close() {
        dispatcher.close();
        bus.close();
        store.close();
    }

    @Test
    void aRefusedSubscriptionStoresNothingAndNamesTheField() {
        assertThatThrownBy(() -> webhooks.create("acme", "http://crm.example.com/h", List.of("offered"), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("url: https is required");
        assertThatThrownBy(() -> webhooks.create("acme", "https://10.0.0.1/h", List.of("offered"), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage(WebhookUrls.TARGET_NOT_ALLOWED);
        assertThatThrownBy(() -> webhooks.create("acme", "https://crm.example.com/h", List.of("offerd"), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("events: unknown event type");
        assertThatThrownBy(() -> webhooks.create("acme", "https://crm.example.com/h", List.of(), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("events: at least one");
        assertThatThrownBy(() -> webhooks.create("acme", "https://crm.example.com/h", List.of("*"),
                "x".repeat(WebhookService.MAX_DESCRIPTION + 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("description: ");

        assertThat(webhooks.list("acme")).isEmpty();
    }

    @Test
    void theNumberOfWebhooksIsCappedPerTenant() {
        webhooks.create("acme", "https://crm.example.com/1", List.of("*"), null);
        webhooks.create("acme", "https://crm.example.com/2", List.of("*"), null);

        assertThatThrownBy(() -> webhooks.create("acme", "https://crm.example.com/3", List.of("*"), null))
                .isInstanceOf(IllegalStateException.class).hasMessage("at most 2 webhooks per tenant");
        assertThat(webhooks.create("other", "https://crm.example.com/3", List.of("*"), "CRM").description())
                .isEqualTo("CRM");
    }

    @Test
    void aNewSubscriptionGetsTheNextEventAndADeletedOneNoMore() {
        WebhookSubscription s = webhooks.create("acme", "https://crm.example.com/h", List.of("offered"), null);

        offer("i1");
        Await.until("a delivery row for i1", Duration.ofSeconds(10),
                () -> webhooks.deliveries("acme", s.id(), null, 10).items().size() == 1);
        assertThat(webhooks.delete("other", s.id())).as("another tenant's").isFalse();
        assertThat(webhooks.delete("acme", s.id())).isTrue();
        offer("i2");

        assertThat(webhooks.find("acme", s.id())).isEmpty();
        assertThat(store.webhooks().deliveries("acme", s.id(), null, 10).items()).isEmpty();
    }

    private void offer(String interaction) {
        bus.onInteractionEvent(InteractionEvent.of("e-" + interaction, "acme", interaction, "c1", Channel.SMS,
                InteractionEventType.OFFERED, Instant.now(), "system",
                Map.of(AcdAttributes.AGENT_ID, "acme/alice", AcdAttributes.QUEUE_ID, "acme/support")));
    }
}
