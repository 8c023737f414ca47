package io.musubi.store.jdbc;

import io.musubi.model.Channel;
import io.musubi.model.InteractionEvent;
import io.musubi.model.InteractionEventType;
import io.musubi.model.MessageContent;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/**
 * Child process of {@link H2KillTest}: appends numbered events to an H2 history and prints "acked n" after each
 * append returned, until it is killed.
 */
public final class KillTarget {

    private KillTarget() {
    }

    public static void main(String[] args) {
        boolean sync = Boolean.parseBoolean(args[1]);
        try (JdbcStore history = JdbcStore.open(JdbcSettings.embedded(Path.of(args[0])).withSyncCommits(sync))) {
            Instant t0 = Instant.parse("2025-01-01T00:00:00Z");
            for (int n = 0; n < 1_000_000; n++) {
                history.store().append(new InteractionEvent("k" + n, "kill", "i" + n / 10, "c1", Channel.LINE,
                        InteractionEventType.MESSAGE_IN, t0.plusMillis(n), "customer", Map.of(),
                        MessageContent.text("message " + n)));
                history.idempotency().markProcessed("kill", "line~main", "wh-" + n);
                System.out.println("acked " + n);
                System.out.flush();
            }
        }
    }
}
