package io.musubi.hub.internal.definitions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.musubi.acd.Acd;
import io.musubi.acd.AcdEngine;
import io.musubi.testkit.ManualClock;
import io.musubi.hub.definitions.AgentForm;
import io.musubi.hub.definitions.QueueForm;
import io.musubi.model.Channel;
import io.musubi.store.DefinitionRepository;
import io.musubi.store.DefinitionRepository.Kind;
import io.musubi.store.jdbc.JdbcSettings;
import io.musubi.store.jdbc.JdbcStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine decides, the store keeps: the two never disagree, and a restart gives the engine what the store kept. */
class DefinitionsTest {

    private static final Instant T0 = Instant.parse("2026-04-01T09:00:00Z");

    @TempDir
    Path dir;

    private JdbcStore store;
    private AcdEngine acd;

    @BeforeEach
    void open() {
        store = JdbcStore.open(JdbcSettings.embedded(dir.resolve("store")));
        acd = Acd.newEngine(new ManualClock(T0));
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void aQueueTheEngineRefusesIsNotStored() {
        Definitions definitions = new Definitions(acd, store.definitions());
        // A queue escalating to itself: the engine refuses it.
        QueueForm.Body selfEscalating = queue(List.of(new QueueForm.Escalation(30, Map.of(), List.of("loop"))));

        assertThatThrownBy(() -> definitions.saveQueue("acme", "loop", selfEscalating))
                .isInstanceOf(IllegalArgumentException.class);

        assertThat(acd.queue("acme/loop")).isEmpty();
        assertThat(store.definitions().all(Kind.QUEUE)).isEmpty();
        // and nothing comes back after a restart either
        AcdEngine restarted = Acd.newEngine(new ManualClock(T0));
        new Definitions(restarted, store.definitions());
        assertThat(restarted.queue("acme/loop")).isEmpty();
    }

    @Test
    void aReplacementTheEngineRefusesKeepsTheStoredDefinition() {
        Definitions definitions = new Definitions(acd, store.definitions());
        definitions.saveQueue("acme", "loop", queue(List.of()));
        String stored = store.definitions().all(Kind.QUEUE).get(0).body();

        assertThatThrownBy(() -> definitions.saveQueue("acme", "loop",
                queue(List.of(new QueueForm.Escalation(30, Map.of(), List.of("loop"))))))
                .isInstanceOf(IllegalArgumentException.class);

        assertThat(store.definitions().all(Kind.QUEUE)).singleElement()
                .satisfies(d -> assertThat(d.body()).isEqualTo(stored));
        assertThat(acd.queue("acme/loop")).hasValueSatisfying(q -> assertThat(q.escalation()).isEmpty());
    }

    @Test
    void aChangeTheStoreCannotKeepIsTakenBackFromTheEngine() {
        AtomicBoolean failing = new AtomicBoolean();
        Definitions definitions = new Definitions(acd, failingWhen(store.definitions(), failing));
        definitions.saveQueue("acme", "sales", queue(List.of(), 1));
        failing.set(true);

        assertThatThrownBy(() -> definitions.saveQueue("acme", "sales", queue(List.of(), 7)))
                .hasMessageContaining("store down");
        assertThatThrownBy(() -> definitions.saveQueue("acme", "support", queue(List.of())))
                .hasMessageContaining("store down");
        assertThatThrownBy(() -> definitions.saveAgent("acme", "hanako", agent()))
                .hasMessageContaining("store down");
        assertThatThrownBy(() -> definitions.deleteQueue("acme", "sales")).hasMessageContaining("store down");

        assertThat(acd.queue("acme/sales")).hasValueSatisfying(q -> assertThat(q.priority()).isEqualTo(1));
        assertThat(acd.queue("acme/support")).isEmpty();
        assertThat(acd.agent("acme/hanako")).isEmpty();
    }

    @Test
    void aRestartGivesTheEngineWhatTheStoreKept() {
        Definitions definitions = new Definitions(acd, store.definitions());
        definitions.saveAgent("acme", "hanako", agent());
        definitions.saveQueue("acme", "sales", queue(List.of(), 3));
        definitions.saveQueue("beta", "sales", queue(List.of()));
        definitions.deleteQueue("beta", "sales");

        AcdEngine restarted = Acd.newEngine(new ManualClock(T0));
        Definitions again = new Definitions(restarted, store.definitions());

        assertThat(restarted.agent("acme/hanako")).isPresent();
        assertThat(again.agentDefinition("acme/hanako")).isPresent();
        assertThat(restarted.queue("acme/sales")).hasValueSatisfying(q -> assertThat(q.priority()).isEqualTo(3));
        assertThat(restarted.queue("beta/sales")).isEmpty();
    }

    private static QueueForm.Body queue(List<QueueForm.Escalation> escalation) {
        return queue(escalation, null);
    }

    private static QueueForm.Body queue(List<QueueForm.Escalation> escalation, Integer priority) {
        return new QueueForm.Body("Sales", Set.of(Channel.WEBCHAT), null, null, priority, null, null, null, null, null,
                null, null, null, null, null, null, null, escalation);
    }

    private static AgentForm.Body agent() {
        return new AgentForm.Body("Hanako", Map.of("ja", 5), null, null, null, null, null, null);
    }

    private static DefinitionRepository failingWhen(DefinitionRepository real, AtomicBoolean failing) {
        return new DefinitionRepository() {
            @Override
            public void save(Kind kind, String id, String tenantId, String body) {
                if (failing.get()) {
                    throw new IllegalStateException("store down");
                }
                real.save(kind, id, tenantId, body);
            }

            @Override
            public boolean delete(Kind kind, String id) {
                if (failing.get()) {
                    throw new IllegalStateException("store down");
                }
                return real.delete(kind, id);
            }

            @Override
            public List<Definition> all(Kind kind) {
                return real.all(kind);
            }
        };
    }
}
