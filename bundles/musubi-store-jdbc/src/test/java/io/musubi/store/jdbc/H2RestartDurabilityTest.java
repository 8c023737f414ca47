package io.musubi.store.jdbc;

import io.musubi.store.ApiKeyRepository;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.RepeatedTest;

/**
 * Committed writes are still there after a clean close and reopen of the embedded H2 store. The sequence is one that
 * H2 2.3.232 with {@code SET RETENTION_TIME 0} lost completely (every row written since the schema was created) on
 * every run: the reason the store keeps H2's default retention.
 */
class H2RestartDurabilityTest {

    @RepeatedTest(3)
    void aMixOfWritesSurvivesACleanRestart() {
        for (boolean sync : new boolean[] {true, false}) {
            JdbcSettings settings = TestDatabases.h2("restart").withSyncCommits(sync);
            List<String> ids = new ArrayList<>();
            try (JdbcStore history = JdbcStore.open(settings)) {
                ApiKeyRepository keys = history.apiKeys();
                ids.add(keys.create("t1", "a", Set.of("admin"), null).apiKey().id());
                ids.add(keys.create("t1", "b", Set.of("agent"), "alice").apiKey().id());
                keys.list("t1");
                String revoked = keys.create("t3", "c", Set.of("agent"), "bob").apiKey().id();
                ids.add(revoked);
                keys.revoke("t3-x", revoked);
                keys.find(revoked);
                keys.revoke("t3", revoked);
                keys.revoke("t3", revoked);
                keys.revoke("t3", "0123456789abcdef");
                ids.add(keys.create("t5", "d", Set.of("admin"), null).apiKey().id());
            }
            try (JdbcStore reopened = JdbcStore.open(settings)) {
                for (String id : ids) {
                    assertThat(reopened.apiKeys().find(id)).as("key %s, syncCommits=%s", id, sync).isPresent();
                }
                assertThat(reopened.apiKeys().find(ids.get(2)).orElseThrow().isActive()).isFalse();
            }
        }
    }
}
