package io.musubi.store.jdbc;

import io.musubi.store.ApiIdempotencyRepository;
import io.musubi.store.DefinitionRepository;
import static org.assertj.core.api.Assertions.assertThat;

import io.musubi.store.DefinitionRepository.Kind;
import java.time.Duration;
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

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Test
    void aKeyIsClaimedOnceCompletedWithItsResponseAndScopedToItsTenant() {
        ApiIdempotencyRepository keys = history.apiIdempotency();
        ApiIdempotencyRepository.Claim claim = keys.claim(tenant, "k-1", "h1", TIMEOUT).orElseThrow();
        assertThat(keys.claim(tenant, "k-1", "h1", TIMEOUT)).isEmpty();
        assertThat(keys.find(tenant, "k-1")).get().satisfies(s -> assertThat(s.inProgress()).isTrue());
        assertThat(keys.claim("other-" + tenant, "k-1", "h1", TIMEOUT)).isPresent();

        assertThat(keys.complete(claim, 201, "/api/v1/interactions/i-1", "{\"id\":\"i-1\"}")).isTrue();
        assertThat(keys.find(tenant, "k-1")).get().satisfies(s -> {
            assertThat(s.status()).isEqualTo(201);
            assertThat(s.requestHash()).isEqualTo("h1");
            assertThat(s.location()).isEqualTo("/api/v1/interactions/i-1");
            assertThat(s.body()).isEqualTo("{\"id\":\"i-1\"}");
        });
        keys.release(claim);
        assertThat(keys.find(tenant, "k-1")).isPresent();
        assertThat(keys.claim(tenant, "k-1", "h1", Duration.ZERO)).as("a completed key is never taken over").isEmpty();
    }

    @Test
    void aReleasedKeyCanBeClaimedAgainAndOldKeysArePurged() {
        ApiIdempotencyRepository keys = history.apiIdempotency();
        String longKey = "x".repeat(400);
        keys.release(keys.claim(tenant, longKey, "h", TIMEOUT).orElseThrow());
        assertThat(keys.find(tenant, longKey)).isEmpty();
        assertThat(keys.claim(tenant, longKey, "h2", TIMEOUT)).isPresent();

        assertThat(keys.purgeBefore(Instant.now().plusSeconds(60))).isGreaterThanOrEqualTo(1);
        assertThat(keys.find(tenant, longKey)).isEmpty();
    }

    @Test
    void aClaimLeftInProgressIsTakenOverByARetryOfTheSameRequestOnceItHasExpired() {
        TestClock clock = new TestClock();
        try (JdbcStore node = JdbcStore.open(settings, clock, "node-a")) {
            ApiIdempotencyRepository keys = node.apiIdempotency();
            ApiIdempotencyRepository.Claim dead = keys.claim(tenant, "k-1", "h1", TIMEOUT).orElseThrow();

            clock.advance(Duration.ofSeconds(59));
            assertThat(keys.claim(tenant, "k-1", "h1", TIMEOUT)).as("a live claim holds").isEmpty();
            clock.advance(Duration.ofSeconds(2));
            assertThat(keys.claim(tenant, "k-1", "other-request", TIMEOUT)).as("only the same request").isEmpty();
            ApiIdempotencyRepository.Claim retry = keys.claim(tenant, "k-1", "h1", TIMEOUT).orElseThrow();
            assertThat(keys.claim(tenant, "k-1", "h1", TIMEOUT)).as("the retry's claim is live").isEmpty();

            // The request that was given up on wakes up: it can neither complete nor release the key any more.
            assertThat(keys.complete(dead, 500, null, "late")).isFalse();
            keys.release(dead);
            assertThat(keys.find(tenant, "k-1")).get().satisfies(s -> assertThat(s.inProgress()).isTrue());

            assertThat(keys.complete(retry, 201, "/api/v1/interactions/i-1", "{}")).isTrue();
            assertThat(keys.find(tenant, "k-1")).get().satisfies(s -> assertThat(s.status()).isEqualTo(201));
        }
    }

    @Test
    void aRestartedNodeDropsTheClaimsItHeldButNotThoseOfAnotherNode() {
        TestClock clock = new TestClock();
        try (JdbcStore a = JdbcStore.open(settings, clock, "node-a");
             JdbcStore b = JdbcStore.open(settings, clock, "node-b")) {
            a.apiIdempotency().claim(tenant, "k-a", "h", TIMEOUT).orElseThrow();
            b.apiIdempotency().claim(tenant, "k-b", "h", TIMEOUT).orElseThrow();
        }
        try (JdbcStore a = JdbcStore.open(settings, clock, "node-a")) {
            ApiIdempotencyRepository keys = a.apiIdempotency();
            assertThat(keys.find(tenant, "k-a")).isEmpty();
            assertThat(keys.claim(tenant, "k-a", "h", TIMEOUT)).isPresent();
            assertThat(keys.find(tenant, "k-b")).get().satisfies(s -> assertThat(s.inProgress()).isTrue());
            assertThat(keys.claim(tenant, "k-b", "h", TIMEOUT)).as("node-b may still be running it").isEmpty();
        }
    }
}
