package io.musubi.hub.internal.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.musubi.hub.internal.ingress.IngressProcessor;
import io.musubi.acd.Acd;
import io.musubi.acd.AcdEngine;
import io.musubi.acd.Actors;
import io.musubi.acd.AgentDefinition;
import io.musubi.testkit.ManualClock;
import io.musubi.acd.QueueDefinition;
import io.musubi.store.jdbc.JdbcStore;
import io.musubi.identity.IdentityServices;
import io.musubi.model.Address;
import io.musubi.model.Channel;
import io.musubi.model.InboundEvent;
import io.musubi.model.Interaction;
import io.musubi.model.InteractionEventType;
import io.musubi.model.MessageContent;
import io.musubi.model.PresenceState;

import io.musubi.testkit.TestStores;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journey log: one INFO line per event the hub records (logger {@code io.musubi.journey}), with ids and codes
 * only. Read from what slf4j-simple prints to standard error.
 */
class HubEventsTest {

    private static final String SECRET_TEXT = "my card number is 4111 1111 1111 1111";
    private static final String SECRET_USER = "U4af4980629secret";

    @TempDir
    Path dir;

    @Test
    void everyEventOfAContactIsOneLineWithoutCustomerData() throws Exception {
        List<String> lines;
        Interaction interaction;
        String customer;
        try (JdbcStore history = TestStores.h2(dir.resolve("history"))) {
            AcdEngine acd = Acd.newEngine(new ManualClock(Instant.parse("2026-12-01T09:00:00Z")));
            acd.defineQueue(QueueDefinition.builder("t1/default").channels(Channel.values()).build());
            acd.defineAgent(AgentDefinition.builder("t1/alice").name("Alice Secretname").build());
            HubEvents events = new HubEvents();
            acd.addListener(new AcdHistoryRecorder(history.store(), history.transactions(), events).listener());
            IngressProcessor processor = new IngressProcessor(IdentityServices.create(history.customers(), "JP"),
                    history.store(), history.idempotency(), acd, "default", false, List::of, events, history.transactions());

            lines = journeyLinesOf(() -> {
                acd.setPresence("t1/alice", PresenceState.AVAILABLE, "", Actors.agent("t1/alice"));
                processor.handle(new InboundEvent("ev-1", "line.main", "t1", Channel.LINE,
                        InteractionEventType.MESSAGE_IN, Address.parse("line:" + SECRET_USER),
                        Address.parse("line:@musubi"), SECRET_USER, MessageContent.text(SECRET_TEXT), Map.of(),
                        Instant.parse("2026-12-01T09:00:01Z")));
            });
            interaction = history.store().findOpenInteraction("t1", Channel.LINE, SECRET_USER).orElseThrow();
            customer = interaction.customerId();
        }

        String id = interaction.id();
        assertThat(lines).containsExactly(
                "PRESENCE agent=t1/alice tenant=t1 OFFLINE->AVAILABLE",
                "ARRIVED interaction=" + id + " tenant=t1 channel=LINE source=line.main",
                "MESSAGE_IN interaction=" + id + " tenant=t1 channel=LINE source=line.main",
                "QUEUED interaction=" + id + " tenant=t1 channel=LINE queue=t1/default",
                "OFFERED interaction=" + id + " tenant=t1 channel=LINE queue=t1/default agent=t1/alice");
        assertThat(String.join("\n", lines)).doesNotContain(SECRET_USER, "4111", "card", customer, "Secretname");
    }

    private interface Action {
        void run() throws Exception;
    }

    /** Runs {@code action} and returns the messages it logged to the journey logger. */
    private static List<String> journeyLinesOf(Action action) throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        String marker = " io.musubi.journey - ";
        return Arrays.stream(captured.toString(StandardCharsets.UTF_8).split("\\R"))
                .filter(l -> l.contains(marker))
                .map(l -> l.substring(l.indexOf(marker) + marker.length()))
                .toList();
    }
}
