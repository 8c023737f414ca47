package io.musubi.hub.internal.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.musubi.acd.Acd;
import io.musubi.acd.AcdEngine;
import io.musubi.acd.Actors;
import io.musubi.acd.AgentDefinition;
import io.musubi.acd.QueueDefinition;
import io.musubi.api.Health;
import io.musubi.model.Address;
import io.musubi.model.Channel;
import io.musubi.model.Interaction;
import io.musubi.model.InteractionState;
import io.musubi.model.PresenceState;
import io.musubi.spi.Backoff;
import io.musubi.store.AcdStateRepository;
import io.musubi.store.AcdStateRepository.AgentPresence;
import io.musubi.store.AcdStateRepository.StickyRecord;
import io.musubi.store.jdbc.JdbcStore;
import io.musubi.testkit.Await;
import io.musubi.testkit.ManualClock;
import io.musubi.testkit.TestStores;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the ACD reports of presence and last agents reaches the store, in batches, also after the store refused. */
class AcdStateRecorderTest {

    private static final Instant T0 = Instant.parse("2026-12-01T09:00:00Z");
    private static final String ALICE = "acme/alice";

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(T0);
    private JdbcStore store;
    private AcdEngine acd;

    @BeforeEach
    void open() {
        store = TestStores.h2(dir.resolve("store"), clock);
        acd = Acd.newEngine(clock);
        acd.defineQueue(QueueDefinition.builder("acme/chat").channels(Channel.WEBCHAT).build());
        acd.defineAgent(AgentDefinition.builder(ALICE).build());
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static Interaction chat(String id, String customer) {
        return new Interaction(id, "acme", Channel.WEBCHAT, customer, Address.parse("webchat:" + id), null, id,
                "acme/chat", 0, Map.of(), InteractionState.NEW, T0, T0, "", "");
    }

    @Test
    void theLastPresenceOfEachAgentAndTheLastAgentOfEachCustomerAreStored() {
        AcdStateRecorder recorder = new AcdStateRecorder(store.acdState());
        acd.addListener(recorder);
        acd.setPresence(ALICE, PresenceState.AVAILABLE, "", Actors.agent(ALICE));
        acd.enqueue(chat("c1", "cust-1"));
        clock.advanceSeconds(3);
        acd.accept("c1", ALICE);
        acd.enqueue(chat("c2", ""));
        acd.accept("c2", ALICE);

        Await.until("presence and last agent stored", Duration.ofSeconds(10),
                () -> !store.acdState().stickyNewerThan("acme", T0).isEmpty() && recorder.backlog() == 0);
        assertThat(store.acdState().stickyNewerThan("acme", T0))
                .as("a customer-less interaction makes no record")
                .containsExactly(new StickyRecord("acme", "cust-1", ALICE, Channel.WEBCHAT, T0.plusSeconds(3)));
        AgentStatus status = new AgentStatus(acd.agent(ALICE).orElseThrow().state(),
                acd.agent(ALICE).orElseThrow().since());
        assertThat(store.acdState().presences("acme")).singleElement().satisfies(p -> {
            assertThat(p.state()).isEqualTo(status.state());
            assertThat(p.since()).isEqualTo(status.since());
        });
        assertThat(recorder.health().status()).isEqualTo(Health.Status.UP);
        recorder.deactivate();
    }

    private record AgentStatus(PresenceState state, Instant since) {
    }

    @Test
    void whatTheStoreRefusedIsWrittenLaterAndANewerValueWins() {
        AtomicBoolean down = new AtomicBoolean(true);
        AtomicInteger batches = new AtomicInteger();
        AcdStateRepository real = store.acdState();
        AcdStateRepository failing = new AcdStateRepository() {
            @Override
            public List<OpenInteraction> openInteractions(String tenantId) {
                return real.openInteractions(tenantId);
            }

            @Override
            public List<String> tenantsWithOpenInteractions() {
                return real.tenantsWithOpenInteractions();
            }

            @Override
            public void savePresences(List<AgentPresence> presences) {
                if (down.get()) {
                    throw new IllegalStateException("store down");
                }
                batches.incrementAndGet();
                real.savePresences(presences);
            }

            @Override
            public List<AgentPresence> presences(String tenantId) {
                return real.presences(tenantId);
            }

            @Override
            public void saveSticky(List<StickyRecord> records) {
                real.saveSticky(records);
            }

            @Override
            public List<StickyRecord> stickyNewerThan(String tenantId, Instant since) {
                return real.stickyNewerThan(tenantId, since);
            }
        };
        AcdStateRecorder recorder = new AcdStateRecorder(failing, new Backoff(Duration.ofMillis(10),
                Duration.ofMillis(50)));
        acd.addListener(recorder);
        acd.setPresence(ALICE, PresenceState.AVAILABLE, "", Actors.agent(ALICE));
        Await.until("the store refused", Duration.ofSeconds(10),
                () -> recorder.health().status() == Health.Status.DEGRADED);
        clock.advanceSeconds(7);
        acd.setPresence(ALICE, PresenceState.BREAK, "lunch", Actors.agent(ALICE));

        down.set(false);
        Await.until("stored once the store is back", Duration.ofSeconds(10),
                () -> !real.presences("acme").isEmpty() && recorder.backlog() == 0);
        assertThat(real.presences("acme")).containsExactly(
                new AgentPresence("acme", ALICE, PresenceState.BREAK, "lunch", T0.plusSeconds(7)));
        Await.until("healthy again", Duration.ofSeconds(10), () -> recorder.health().status() == Health.Status.UP);
        assertThat(batches.get()).as("both changes in one batch").isEqualTo(1);
        recorder.deactivate();
    }
}
