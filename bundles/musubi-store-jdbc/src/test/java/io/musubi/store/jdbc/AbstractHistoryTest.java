package io.musubi.store.jdbc;

import io.musubi.store.CustomerRepository;
import io.musubi.store.HistoryStore;
import io.musubi.model.Address;
import io.musubi.model.Attachment;
import io.musubi.model.Channel;
import io.musubi.model.Interaction;
import io.musubi.model.InteractionEvent;
import io.musubi.model.InteractionEventType;
import io.musubi.model.InteractionState;
import io.musubi.model.MessageContent;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

/**
 * Base of the contract tests: one database per test class (H2 file or PostgreSQL), one fresh tenant per test,
 * so tests never see each other's data.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractHistoryTest {

    static final Instant T0 = Instant.parse("2025-04-01T09:00:00Z");

    protected JdbcSettings settings;
    protected JdbcStore history;
    protected String tenant;

    /** The database this subclass runs against. */
    protected abstract JdbcSettings settings();

    @BeforeAll
    void openDatabase() {
        settings = settings();
        history = JdbcStore.open(settings);
    }

    @AfterAll
    void closeDatabase() {
        if (history != null) {
            history.close();
        }
    }

    @BeforeEach
    void newTenant() {
        tenant = "t-" + UUID.randomUUID();
    }

    /** Closes and opens the store again, as a restart of the hub would. */
    protected void restart() {
        history.close();
        history = JdbcStore.open(settings);
    }

    protected HistoryStore store() {
        return history.store();
    }

    protected CustomerRepository customers() {
        return history.customers();
    }

    protected String newCustomer(String address) {
        return customers().resolveOrCreate(tenant, Address.parse(address)).customer().id();
    }

    protected InteractionEvent message(String id, String interactionId, String customerId, Channel channel,
                                       Instant at, String text) {
        return new InteractionEvent(id, tenant, interactionId, customerId, channel, InteractionEventType.MESSAGE_IN,
                at, "customer", Map.of("k", "v"), MessageContent.text(text));
    }

    protected InteractionEvent event(String id, String interactionId, String customerId, Channel channel,
                                     InteractionEventType type, Instant at) {
        return InteractionEvent.of(id, tenant, interactionId, customerId, channel, type, at, "system", Map.of());
    }

    /** An interaction of this test's tenant in a queue (priority 0, no destination address). */
    protected Interaction interaction(String id, Channel channel, String from, String customerId, String queueId,
                                      InteractionState state, Instant createdAt, Instant updatedAt, String agentId,
                                      Map<String, String> attributes) {
        return new Interaction(id, tenant, channel, customerId, Address.parse(from), null, from, queueId, 0,
                attributes, state, createdAt, updatedAt, agentId, "");
    }

    protected static MessageContent withAttachment(String text) {
        return new MessageContent(text, List.of(new Attachment("cs://blob/1", "image/png", "photo.png", 1234)));
    }
}
