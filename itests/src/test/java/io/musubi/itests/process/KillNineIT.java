package io.musubi.itests.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.musubi.store.jdbc.JdbcStore;
import io.musubi.itests.Await;
import io.musubi.itests.PacedFileWriter;
import io.musubi.store.jdbc.JdbcSettings;
import io.musubi.store.JourneyPage;
import io.musubi.store.JourneyQuery;
import io.musubi.identity.IdentityServices;
import io.musubi.model.Address;
import io.musubi.model.InteractionEvent;
import io.musubi.model.InteractionEventType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * DESIGN §11 "nothing lost": numbered events stream into a running hub, the hub is killed with SIGKILL in the
 * middle, started again on the same data, and afterwards every event the hub had acknowledged — and every other
 * one, once redelivered — is in the customer's history exactly once.
 *
 * <p>The demo connector acknowledges an event by moving its file to {@code .done}, which it does only after the
 * broker took the message persistently; the broker's journal and the history store do the rest.
 */
class KillNineIT {

    private static final int EVENTS = 300;
    private static final int KILL_AFTER_ACKNOWLEDGED = 80;

    private HubProcess hub;

    @AfterEach
    void cleanUp() throws Exception {
        if (hub != null && hub.isAlive()) {
            hub.killHard();
        }
    }

    @Test
    void aHubKilledMidStreamLosesNoAcknowledgedEventAndDuplicatesNone() throws Exception {
        Path tarGz = Path.of(System.getProperty("musubi.distribution"));
        Path home = Path.of("target", "kill9-" + System.nanoTime()).toAbsolutePath();
        hub = HubProcess.install(tarGz, home, 18381, 15672);
        Path inbox = home.resolve("data/demo/inbox");
        Path done = inbox.resolve(".done");

        hub.start();
        // Also the demo connector: it creates the inbox, which the writer needs (under load the ingress route can be
        // up minutes before the connector's feature is).
        Await.until("hub ready with its ingress route and the demo connector's inbox", Duration.ofSeconds(180),
                () -> hub.health().contains("\"musubi-ingress\":\"Started 1/1 routes\"") && Files.isDirectory(inbox));

        String prefix = "k9-";
        // The ingress route can be up before the demo connector created its inbox: a first file dropped then fails
        // and stops the writer. The file consumer takes an existing directory as it is.
        Files.createDirectories(inbox);
        // A steady stream, one event every 10 ms; the kill lands while it flows.
        PacedFileWriter writer = PacedFileWriter.start(inbox, prefix, EVENTS, 10, i -> { });

        Await.until(KILL_AFTER_ACKNOWLEDGED + " events acknowledged", Duration.ofSeconds(120),
                () -> PacedFileWriter.idsIn(done).size() >= KILL_AFTER_ACKNOWLEDGED);
        hub.killHard();
        Set<String> acknowledged = PacedFileWriter.idsIn(done); // the hub is dead: this set can no longer change
        assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(KILL_AFTER_ACKNOWLEDGED)
                .as("the kill happened mid-stream").hasSizeLessThan(EVENTS);
        System.out.printf("KillNineIT: killed with %d of %d events acknowledged%n", acknowledged.size(), EVENTS);

        writer.awaitDone(60);

        hub.start();
        Await.until("every event acknowledged and the ingress queue drained", Duration.ofSeconds(240), () -> {
            String health = hub.health();
            return PacedFileWriter.idsIn(done).size() == EVENTS && PacedFileWriter.idsIn(inbox).isEmpty()
                    && health.contains("\"musubi.ingress\":\"0\"");
        });

        // The provider delivers twenty old events again after the restart: nothing new may be stored.
        List<String> redelivered = acknowledged.stream().limit(20).toList();
        for (String id : redelivered) {
            Files.move(done.resolve(id + ".txt"), inbox.resolve(id + ".txt"), StandardCopyOption.ATOMIC_MOVE);
        }
        Await.until("redelivered events consumed", Duration.ofSeconds(120), () -> PacedFileWriter.idsIn(inbox).isEmpty()
                && PacedFileWriter.idsIn(done).containsAll(redelivered) && hub.health().contains("\"musubi.ingress\":\"0\""));
        hub.stop();

        Map<String, Integer> inHistory = messagesInHistory(home);
        TreeSet<String> expected = new TreeSet<>();
        for (int i = 1; i <= EVENTS; i++) {
            expected.add(PacedFileWriter.id(prefix, i));
        }
        assertThat(inHistory.keySet()).containsAll(acknowledged);
        assertThat(new TreeSet<>(inHistory.keySet())).isEqualTo(expected);
        assertThat(inHistory.entrySet().stream().filter(e -> e.getValue() != 1).map(Map.Entry::getKey).toList())
                .as("events stored more than once").isEmpty();
    }

    /** MESSAGE_IN events of the demo visitor, counted per provider event id, read from the stopped hub's store. */
    private static Map<String, Integer> messagesInHistory(Path home) {
        Map<String, Integer> counts = new HashMap<>();
        try (JdbcStore history = JdbcStore.open(JdbcSettings.embedded(home.resolve("data/musubi/history")))) {
            String customer = IdentityServices.create(history.customers(), "JP")
                    .findByAddress("default", Address.parse("webchat:demo-visitor")).orElseThrow().id();
            JourneyQuery query = JourneyQuery.of("default", customer).withTypes(Set.of(InteractionEventType.MESSAGE_IN))
                    .withLimit(JourneyQuery.MAX_LIMIT);
            while (true) {
                JourneyPage page = history.store().journey(query);
                for (InteractionEvent e : page.events()) {
                    counts.merge(e.attributes().get("sourceEventId"), 1, Integer::sum);
                }
                if (page.nextCursor() == null) {
                    return counts;
                }
                query = query.after(page.nextCursor());
            }
        }
    }
}
