package io.musubi.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.musubi.history.DefinitionRepository.Kind;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The contracts of the repositories behind the REST API: ACD definitions and Idempotency-Key responses. */
abstract class AbstractApiRepositoriesTest extends AbstractHistoryTest {

    @Test
    void definitionsAreReplacedDeletedAndSurviveARestart() {
        DefinitionRepository defs = history.definitions();
        String alice = tenant + "/alice";
        defs.save(Kind.AGENT, alice, tenant, "{\"name\":\"Alice\"}");
        defs.save(Kind.AGENT, alice, tenant, "{\"name\":\"Alice B\"}");
        defs.save(Kind.QUEUE, tenant + "/support", tenant, "{}");
        defs.save(Kind.AGENT, tenant + "/bob", tenant, "{\"name\":\"Bob\"}");
        assertThat(defs.delete(Kind.AGENT, tenant + "/bob")).isTrue();
        assertThat(defs.delete(Kind.AGENT, tenant + "/bob")).isFalse();

        restart();

        assertThat(history.definitions().all(Kind.AGENT)).filteredOn(d -> d.tenantId().equals(tenant))
                .singleElement().satisfies(d -> {
                    assertThat(d.id()).isEqualTo(alice);
                    assertThat(d.body()).isEqualTo("{\"name\":\"Alice B\"}");
                });
        assertThat(history.definitions().all(Kind.QUEUE)).filteredOn(d -> d.tenantId().equals(tenant))
                .extracting(DefinitionRepository.Definition::id).containsExactly(tenant + "/support");
    }

    @Test
    void aKeyIsClaimedOnceCompletedWithItsResponseAndScopedToItsTenant() {
        ApiIdempotencyRepository keys = history.apiIdempotency();
        assertThat(keys.claim(tenant, "k-1", "h1")).isTrue();
        assertThat(keys.claim(tenant, "k-1", "h1")).isFalse();
        assertThat(keys.find(tenant, "k-1")).get().satisfies(s -> assertThat(s.inProgress()).isTrue());
        assertThat(keys.claim("other-" + tenant, "k-1", "h1")).isTrue();

        keys.complete(tenant, "k-1", 201, "/api/v1/interactions/i-1", "{\"id\":\"i-1\"}");
        assertThat(keys.find(tenant, "k-1")).get().satisfies(s -> {
            assertThat(s.status()).isEqualTo(201);
            assertThat(s.requestHash()).isEqualTo("h1");
            assertThat(s.location()).isEqualTo("/api/v1/interactions/i-1");
            assertThat(s.body()).isEqualTo("{\"id\":\"i-1\"}");
        });
        keys.release(tenant, "k-1");
        assertThat(keys.find(tenant, "k-1")).isPresent();
    }

    @Test
    void aReleasedKeyCanBeClaimedAgainAndOldKeysArePurged() {
        ApiIdempotencyRepository keys = history.apiIdempotency();
        String longKey = "x".repeat(400);
        assertThat(keys.claim(tenant, longKey, "h")).isTrue();
        keys.release(tenant, longKey);
        assertThat(keys.find(tenant, longKey)).isEmpty();
        assertThat(keys.claim(tenant, longKey, "h2")).isTrue();

        assertThat(keys.purgeBefore(Instant.now().plusSeconds(60))).isGreaterThanOrEqualTo(1);
        assertThat(keys.find(tenant, longKey)).isEmpty();
    }
}
