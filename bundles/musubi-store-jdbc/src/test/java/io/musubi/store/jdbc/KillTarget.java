package io.musubi.store.jdbc;

import io.musubi.model.Channel;
import io.musubi.model.InteractionEvent;
import io.musubi.model.InteractionEventType;
import io.musubi.model.MessageContent;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Child process of {@link H2KillTest}: appends numbered events to an H2 history and prints "acked n" after each
 * append returned, until it is killed. Arguments: the H2 path, syncCommits, and the number of concurrent callers
 * (optional; more than 1: each event and its idempotency mark are written in one {@code inTransaction}, so the
 * callers share flushes).
 */
public final class KillTarget {

    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    private KillTarget() {
    }

    public static void main(String[] args) throws InterruptedException {
        boolean sync = Boolean.parseBoolean(args[1]);
        int callers = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        try (JdbcStore history = JdbcStore.open(JdbcSettings.embedded(Path.of(args[0])).withSyncCommits(sync))) {
            if (callers == 1) {
                for (int n = 0; n < 1_000_000; n++) {
                    history.store().append(event(n));
                    history.idempotency().markProcessed("kill", "line~main", "wh-" + n);
                    ack(n);
                }
                return;
            }
            AtomicInteger next = new AtomicInteger();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < callers; t++) {
                Thread thread = new Thread(() -> {
                    for (int n = next.getAndIncrement(); n < 1_000_000; n = next.getAndIncrement()) {
                        int id = n;
                        history.transactions().runInTransaction(() -> {
                            history.store().append(event(id));
                            history.idempotency().markProcessed("kill", "line~main", "wh-" + id);
                        });
                        ack(id);
                    }
                });
                thread.start();
                threads.add(thread);
            }
            for (Thread thread : threads) {
                thread.join();
            }
        }
    }

    private static InteractionEvent event(int n) {
        return new InteractionEvent("k" + n, "kill", "i" + n / 10, "c1", Channel.LINE,
                InteractionEventType.MESSAGE_IN, T0.plusMillis(n), "customer", Map.of(),
                MessageContent.text("message " + n));
    }

    private static synchronized void ack(int n) {
        System.out.println("acked " + n);
        System.out.flush();
    }
}
