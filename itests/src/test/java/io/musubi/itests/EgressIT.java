package io.musubi.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.musubi.api.InboundEventListener;
import io.musubi.api.OutboundGateway;
import io.musubi.store.HistoryStore;
import io.musubi.model.Channel;
import io.musubi.model.Interaction;
import io.musubi.model.InteractionEventType;
import io.musubi.model.MessageContent;
import io.musubi.model.OutboundMessage;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerSuite;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceRegistration;

/**
 * Replies to a customer wait durably in the connector's egress queue while the connector is away and are
 * delivered exactly once when it is back; each is in the history once as MESSAGE_OUT.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerSuite.class)
public class EgressIT extends MusubiTestSupport {

    @Inject
    private OutboundGateway gateway;

    @Inject
    private HistoryStore history;

    @Test
    public void repliesWaitForAnAbsentConnectorAndAreDeliveredOnce() throws Exception {
        await("hub healthy", Duration.ofSeconds(90), () -> statusOf("/api/v1/health") == 200);
        List<String> inbound = new CopyOnWriteArrayList<>();
        ServiceRegistration<InboundEventListener> listener = bundleContext.registerService(InboundEventListener.class,
                e -> inbound.add(e.eventId()), null);
        String firstId = "egress-" + System.nanoTime();
        try {
            Path inbox = Path.of(System.getProperty("karaf.data"), "demo", "inbox");
            PacedFileWriter.drop(inbox, firstId, "I need help");
            await("the customer's message arrived", Duration.ofSeconds(60), () -> inbound.contains(firstId));
        } finally {
            listener.unregister();
        }
        // Listeners are told inside the event's transaction: the interaction is readable once that commits.
        await("the interaction is stored", Duration.ofSeconds(60),
                () -> history.findOpenInteraction("default", Channel.WEBCHAT, "demo-visitor").isPresent());
        Interaction interaction = history.findOpenInteraction("default", Channel.WEBCHAT, "demo-visitor").orElseThrow();

        Bundle demo = bundle("io.musubi.connector-demo");
        demo.stop();
        Path outbox = Path.of(System.getProperty("karaf.data"), "demo", "outbox");
        List<String> sent = new ArrayList<>();
        try {
            for (int i = 1; i <= 10; i++) {
                OutboundMessage m = gateway.reply("default", interaction.id(), firstId + "-reply-" + i,
                        MessageContent.text("reply " + i), Map.of(), "agent:hanako");
                sent.add(m.id());
            }
            // A client retry with the same idempotency key: one message, not two.
            OutboundMessage again = gateway.reply("default", interaction.id(), firstId + "-reply-3",
                    MessageContent.text("reply 3"), Map.of(), "agent:hanako");
            assertEquals(sent.get(2), again.id());

            await("replies waiting in the egress queue", Duration.ofSeconds(30),
                    () -> body("/api/v1/health").contains("\"musubi.egress.demo\":\"11\""));
            assertTrue("nothing delivered while the connector is away", PacedFileWriter.idsIn(outbox).stream()
                    .noneMatch(sent::contains));
        } finally {
            demo.start();
        }

        await("replies delivered", Duration.ofSeconds(60), () -> PacedFileWriter.idsIn(outbox).containsAll(sent));
        await("egress queue drained", Duration.ofSeconds(60),
                () -> body("/api/v1/health").contains("\"musubi.egress.demo\":\"0\""));
        assertEquals(new TreeSet<>(sent), PacedFileWriter.idsIn(outbox).stream().filter(sent::contains)
                .collect(Collectors.toCollection(TreeSet::new)));
        assertEquals("reply 7", Files.readString(outbox.resolve(sent.get(6) + ".txt"), StandardCharsets.UTF_8));

        long recorded = history.interactionEvents("default", interaction.id()).stream()
                .filter(e -> e.type() == InteractionEventType.MESSAGE_OUT)
                .filter(e -> sent.contains(e.attributes().get("messageId")))
                .count();
        assertEquals("each reply once in the history", 10, recorded);
    }
}
