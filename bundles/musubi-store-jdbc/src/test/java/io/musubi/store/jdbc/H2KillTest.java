package io.musubi.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.musubi.model.Channel;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The embedded store's durability promise: a JVM killed with SIGKILL loses no event whose append returned,
 * with and without fsync per commit (a kill is not a power loss: the operating system keeps what was written).
 */
class H2KillTest {

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void everyAcknowledgedAppendSurvivesSigkill(boolean syncCommits) throws Exception {
        Path db = Path.of("target", "h2", "kill-" + UUID.randomUUID()).toAbsolutePath();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), KillTarget.class.getName(), db.toString(),
                Boolean.toString(syncCommits)));
        Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        int lastAcked = -1;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("acked ")) {
                    lastAcked = Integer.parseInt(line.substring(6));
                    if (lastAcked >= 150) {
                        child.destroyForcibly(); // SIGKILL, mid-stream
                        break;
                    }
                }
            }
        } finally {
            child.destroyForcibly();
            child.waitFor(60, TimeUnit.SECONDS);
        }
        assertThat(lastAcked).isGreaterThanOrEqualTo(150);

        try (JdbcStore history = JdbcStore.open(JdbcSettings.embedded(db))) {
            long stored = history.store().eventCounts("kill", "c1").getOrDefault(Channel.LINE, 0L);
            assertThat(stored).isGreaterThanOrEqualTo(lastAcked + 1L);
            for (int n = 0; n <= lastAcked; n++) {
                assertThat(history.idempotency().isProcessed("kill", "line~main", "wh-" + n)).isTrue();
            }
            assertThat(history.store().interactionEvents("kill", "i0")).hasSize(10);
        }
    }

    /** Concurrent transactions share H2's flushes (group commit): still none that returned is lost. */
    @Test
    void everyAcknowledgedTransactionOfConcurrentCallersSurvivesSigkill() throws Exception {
        Path db = Path.of("target", "h2", "kill-tx-" + UUID.randomUUID()).toAbsolutePath();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), KillTarget.class.getName(), db.toString(), "true", "8"));
        Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        Set<Integer> acked = new HashSet<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("acked ")) {
                    acked.add(Integer.parseInt(line.substring(6)));
                    if (acked.size() >= 400) {
                        child.destroyForcibly(); // SIGKILL, mid-stream
                        break;
                    }
                }
            }
        } finally {
            child.destroyForcibly();
            child.waitFor(60, TimeUnit.SECONDS);
        }
        assertThat(acked).hasSizeGreaterThanOrEqualTo(400);

        try (JdbcStore history = JdbcStore.open(JdbcSettings.embedded(db))) {
            for (int n : acked) {
                assertThat(history.store().interactionEvents("kill", "i" + n / 10))
                        .as("event %d", n).anyMatch(e -> e.id().equals("k" + n));
                assertThat(history.idempotency().isProcessed("kill", "line~main", "wh-" + n)).as("mark %d", n).isTrue();
            }
        }
    }
}
