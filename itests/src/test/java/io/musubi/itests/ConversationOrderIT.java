package io.musubi.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.musubi.api.InboundEventListener;
import io.musubi.model.Address;
import io.musubi.model.Channel;
import io.musubi.model.InboundEvent;
import io.musubi.model.InteractionEventType;
import io.musubi.model.MessageContent;
import io.musubi.spi.IngressGateway;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerSuite;
import org.osgi.framework.ServiceRegistration;

/**
 * Issue #11, ordering under parallel consumers: many conversations' messages, interleaved and sent from several
 * threads through the hub's ingress gateway, go through the broker and the 16 ingress consumers. Each conversation's
 * messages are handled one at a time and in the order they were sent, while different conversations are handled at
 * the same time (the first message of each conversation waits, with a deadline, until another conversation is in
 * progress too: a hub that handled conversations one after another would fail that).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerSuite.class)
public class ConversationOrderIT extends MusubiTestSupport {

    private static final int CONVERSATIONS = 24;
    private static final int MESSAGES = 25;
    private static final int SENDERS = 4;

    @Inject
    private IngressGateway ingress;

    @Test
    public void eachConversationInOrderAndOneAtATimeWhileConversationsRunInParallel() throws Exception {
        ApiClient admin = adminClient();
        assertEquals(201, admin.call("PUT", "/queues/order-it",
                "{\"name\":\"Ordering (never offered)\",\"requiredSkills\":{\"order-it-never\":10}}").statusCode());
        String run = "ord-" + System.nanoTime() + "-";
        Map<String, List<Integer>> handled = new ConcurrentHashMap<>();
        Map<String, AtomicBoolean> inProgress = new ConcurrentHashMap<>();
        AtomicInteger overlaps = new AtomicInteger();
        AtomicInteger running = new AtomicInteger();
        CountDownLatch twoAtOnce = new CountDownLatch(1);
        AtomicInteger parallelWaitsTimedOut = new AtomicInteger();
        ServiceRegistration<InboundEventListener> listener = bundleContext.registerService(InboundEventListener.class,
                e -> {
                    if (!e.threadKey().startsWith(run)) {
                        return;
                    }
                    String conversation = e.threadKey();
                    int index = Integer.parseInt(e.eventId().substring(e.eventId().lastIndexOf('-') + 1));
                    AtomicBoolean busy = inProgress.computeIfAbsent(conversation, k -> new AtomicBoolean());
                    if (!busy.compareAndSet(false, true)) {
                        overlaps.incrementAndGet();
                    }
                    try {
                        if (running.incrementAndGet() >= 2) {
                            twoAtOnce.countDown();
                        }
                        if (index == 0 && !twoAtOnce.await(30, TimeUnit.SECONDS)) {
                            parallelWaitsTimedOut.incrementAndGet();
                        }
                        handled.computeIfAbsent(conversation, k -> java.util.Collections.synchronizedList(
                                new ArrayList<>())).add(index);
                    } finally {
                        running.decrementAndGet();
                        busy.set(false);
                    }
                }, null);
        ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
        try {
            List<Future<?>> sent = new ArrayList<>();
            for (int s = 0; s < SENDERS; s++) {
                int sender = s;
                sent.add(senders.submit(() -> {
                    // This sender's conversations, message by message: their messages interleave in the queue.
                    for (int m = 0; m < MESSAGES; m++) {
                        for (int c = sender; c < CONVERSATIONS; c += SENDERS) {
                            ingress.submit(List.of(event(run + c, m)));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : sent) {
                f.get(120, TimeUnit.SECONDS);
            }
            await("every message handled", Duration.ofSeconds(180), () -> handled.size() == CONVERSATIONS
                    && handled.values().stream().allMatch(l -> distinct(l) == MESSAGES));
        } finally {
            senders.shutdownNow();
            listener.unregister();
        }
        assertEquals("two messages of one conversation handled at once", 0, overlaps.get());
        handled.forEach((conversation, indexes) -> {
            List<Integer> copy;
            synchronized (indexes) {
                copy = List.copyOf(indexes);
            }
            // A redelivery after a rollback repeats a message, never goes back behind a later one.
            for (int i = 1; i < copy.size(); i++) {
                assertTrue(conversation + " out of order: " + copy, copy.get(i) >= copy.get(i - 1));
            }
        });
        assertEquals("conversations were handled one after another: never two at once", 0,
                parallelWaitsTimedOut.get());
    }

    private static long distinct(List<Integer> indexes) {
        synchronized (indexes) {
            return indexes.stream().distinct().count();
        }
    }

    private static InboundEvent event(String conversation, int index) {
        return new InboundEvent(conversation + "-" + index, "itest-order", "default", Channel.WEBCHAT,
                InteractionEventType.MESSAGE_IN, Address.of("webchat", conversation), null, conversation,
                MessageContent.text("message " + index), Map.of("musubi.queue", "order-it"), Instant.now());
    }
}
