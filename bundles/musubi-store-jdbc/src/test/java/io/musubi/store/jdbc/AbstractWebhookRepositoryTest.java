package io.musubi.store.jdbc;

import io.musubi.store.WebhookDelivery;
import io.musubi.store.WebhookDeliveryPage;
import io.musubi.store.WebhookDeliveryStatus;
import io.musubi.store.WebhookRepository;
import io.musubi.store.WebhookSubscription;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The {@link WebhookRepository} contract (subscriptions, delivery rows, claims, the log); one subclass per database. */
abstract class AbstractWebhookRepositoryTest extends AbstractHistoryTest {

    private static final String PAYLOAD = "{\"id\":\"42\",\"type\":\"offered\"}";

    /** The database outlives the test (PostgreSQL): leave no pending rows that another test's claim would take. */
    @AfterEach
    void deleteSubscriptions() {
        for (WebhookSubscription s : webhooks().subscriptions(tenant)) {
            webhooks().deleteSubscription(tenant, s.id());
        }
    }

    private WebhookRepository webhooks() {
        return history.webhooks();
    }

    private WebhookSubscription subscribe(String... types) {
        return webhooks().createSubscription(tenant, "https://hooks.example.com/musubi?token=abc", Set.of(types),
                "CRM sync", "whsec_test");
    }

    private List<WebhookDelivery> pendingOf(String tenantId, List<WebhookDelivery> claimed) {
        return claimed.stream().filter(d -> d.tenantId().equals(tenantId)).toList();
    }

    @Test
    void createdSubscriptionIsFoundListedAndActive() {
        WebhookSubscription s = subscribe("offered", "presence");

        assertThat(s.active()).isTrue();
        assertThat(s.tenantId()).isEqualTo(tenant);
        assertThat(webhooks().findSubscription(tenant, s.id())).contains(s);
        assertThat(webhooks().subscriptions(tenant)).containsExactly(s);
        assertThat(webhooks().activeSubscriptions()).contains(s);
        assertThat(s.eventTypes()).containsExactlyInAnyOrder("offered", "presence");
        assertThat(s.secret()).isEqualTo("whsec_test");
        assertThat(s.wants("offered")).isTrue();
        assertThat(s.wants("ended")).isFalse();
    }

    @Test
    void subscriptionsAreTenantScoped() {
        WebhookSubscription s = subscribe("*");

        assertThat(webhooks().findSubscription(tenant + "-2", s.id())).isEmpty();
        assertThat(webhooks().subscriptions(tenant + "-2")).isEmpty();
        assertThat(webhooks().deleteSubscription(tenant + "-2", s.id())).isFalse();
        assertThat(webhooks().findSubscription(tenant, s.id())).isPresent();
        assertThat(s.wants("anything")).isTrue();
    }

    @Test
    void toStringShowsNeitherSecretNorUrlPath() {
        WebhookSubscription s = subscribe("offered");

        assertThat(s.toString()).doesNotContain("whsec_test").doesNotContain("token").doesNotContain("/musubi")
                .contains("hooks.example.com");
    }

    @Test
    void oneDeliveryRowPerSubscriptionAndNoneTwiceForAnEvent() {
        WebhookSubscription a = subscribe("offered");
        WebhookSubscription b = subscribe("*");

        List<WebhookDelivery> written = webhooks().addDeliveries(tenant, List.of(a.id(), b.id()), 42, "offered",
                PAYLOAD);
        List<WebhookDelivery> again = webhooks().addDeliveries(tenant, List.of(a.id(), b.id()), 42, "offered",
                PAYLOAD);

        assertThat(written).hasSize(2).allSatisfy(d -> {
            assertThat(d.status()).isEqualTo(WebhookDeliveryStatus.PENDING);
            assertThat(d.attempts()).isZero();
            assertThat(d.eventId()).isEqualTo(42);
            assertThat(d.toString()).doesNotContain(PAYLOAD);
        });
        assertThat(again).isEmpty();
        WebhookDelivery stored = webhooks().findDelivery(tenant, written.get(0).id()).orElseThrow();
        assertThat(stored.payload()).isEqualTo(PAYLOAD);
        assertThat(stored.subscriptionId()).isEqualTo(a.id());
        assertThat(stored.deliveredAtIfAny()).isEmpty();
        assertThat(webhooks().findDelivery(tenant + "-2", written.get(0).id())).isEmpty();
    }

    @Test
    void claimHoldsARowUntilItsClaimEnds() {
        WebhookSubscription s = subscribe("offered");
        WebhookDelivery d = webhooks().addDeliveries(tenant, List.of(s.id()), 1, "offered", PAYLOAD).get(0);
        Instant now = d.nextAttemptAt().plusSeconds(1);
        Instant until = now.plusSeconds(60);

        List<WebhookDelivery> first = pendingOf(tenant, webhooks().claimDue(now, 100, until));
        List<WebhookDelivery> second = pendingOf(tenant, webhooks().claimDue(now, 100, until));
        List<WebhookDelivery> afterClaim = pendingOf(tenant, webhooks().claimDue(until, 100, until.plusSeconds(60)));

        assertThat(first).extracting(WebhookDelivery::id).containsExactly(d.id());
        assertThat(first.get(0).payload()).isEqualTo(PAYLOAD);
        assertThat(second).isEmpty();
        assertThat(afterClaim).extracting(WebhookDelivery::id).containsExactly(d.id());
    }

    @Test
    void claimTakesTheOldestDueFirstAndHonoursTheLimit() {
        WebhookSubscription s = subscribe("offered");
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            WebhookDelivery d = webhooks().addDeliveries(tenant, List.of(s.id()), i, "offered", PAYLOAD).get(0);
            Instant due = T0.plusSeconds(10 - i); // event 3 is due first
            webhooks().recordRetry(tenant, d.id(), 1, 500, "HTTP 500", due);
            ids.add(d.id());
        }
        Instant now = T0.plusSeconds(100);

        List<WebhookDelivery> firstTwo = pendingOf(tenant, webhooks().claimDue(now, 2, now.plusSeconds(30)));

        assertThat(firstTwo).extracting(WebhookDelivery::id).containsExactly(ids.get(2), ids.get(1));
        assertThat(firstTwo).allSatisfy(d -> assertThat(d.attempts()).isEqualTo(1));
    }

    @Test
    void outcomesAreRecorded() {
        WebhookSubscription s = subscribe("offered");
        List<WebhookDelivery> rows = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            rows.add(webhooks().addDeliveries(tenant, List.of(s.id()), i, "offered", PAYLOAD).get(0));
        }
        Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
        String longError = "x".repeat(500);

        webhooks().recordDelivered(tenant, rows.get(0).id(), 2, 204, at);
        webhooks().recordRetry(tenant, rows.get(1).id(), 1, 503, "HTTP 503", at.plusSeconds(5));
        webhooks().recordFailed(tenant, rows.get(2).id(), 10, 0, longError, at);

        WebhookDelivery delivered = webhooks().findDelivery(tenant, rows.get(0).id()).orElseThrow();
        assertThat(delivered.status()).isEqualTo(WebhookDeliveryStatus.DELIVERED);
        assertThat(delivered.attempts()).isEqualTo(2);
        assertThat(delivered.lastStatus()).isEqualTo(204);
        assertThat(delivered.deliveredAt()).isEqualTo(at);
        WebhookDelivery retry = webhooks().findDelivery(tenant, rows.get(1).id()).orElseThrow();
        assertThat(retry.status()).isEqualTo(WebhookDeliveryStatus.PENDING);
        assertThat(retry.nextAttemptAt()).isEqualTo(at.plusSeconds(5));
        assertThat(retry.lastError()).isEqualTo("HTTP 503");
        WebhookDelivery failed = webhooks().findDelivery(tenant, rows.get(2).id()).orElseThrow();
        assertThat(failed.status()).isEqualTo(WebhookDeliveryStatus.FAILED);
        assertThat(failed.lastError()).hasSize(200);
        assertThat(failed.deliveredAtIfAny()).isEmpty();

        List<WebhookDelivery> due = pendingOf(tenant, webhooks().claimDue(at.plusSeconds(3600), 100,
                at.plusSeconds(3700)));
        assertThat(due).extracting(WebhookDelivery::id).containsExactly(rows.get(1).id());
    }

    @Test
    void aReleasedClaimIsDueAgainWithoutCountingAnAttempt() {
        WebhookSubscription s = subscribe("offered");
        WebhookDelivery d = webhooks().addDeliveries(tenant, List.of(s.id()), 7, "offered", PAYLOAD).get(0);
        Instant now = d.nextAttemptAt().plusSeconds(1);
        webhooks().claimDue(now, 100, now.plusSeconds(600));

        webhooks().release(tenant, d.id(), now);

        assertThat(pendingOf(tenant, webhooks().claimDue(now, 100, now.plusSeconds(600))))
                .extracting(WebhookDelivery::id, WebhookDelivery::attempts).containsExactly(tuple(d.id(), 0));
    }

    @Test
    void deliveryLogPagesNewestFirst() {
        WebhookSubscription s = subscribe("offered");
        WebhookSubscription other = subscribe("offered");
        for (int i = 1; i <= 5; i++) {
            webhooks().addDeliveries(tenant, List.of(s.id(), other.id()), i, "offered", PAYLOAD);
        }

        WebhookDeliveryPage p1 = webhooks().deliveries(tenant, s.id(), null, 2);
        WebhookDeliveryPage p2 = webhooks().deliveries(tenant, s.id(), p1.nextCursor(), 2);
        WebhookDeliveryPage p3 = webhooks().deliveries(tenant, s.id(), p2.nextCursor(), 2);

        assertThat(p1.items()).extracting(WebhookDelivery::eventId).containsExactly(5L, 4L);
        assertThat(p2.items()).extracting(WebhookDelivery::eventId).containsExactly(3L, 2L);
        assertThat(p3.items()).extracting(WebhookDelivery::eventId).containsExactly(1L);
        assertThat(p3.nextCursor()).isNull();
        assertThat(p1.items()).allSatisfy(d -> assertThat(d.subscriptionId()).isEqualTo(s.id()));
        assertThat(webhooks().deliveries(tenant + "-2", s.id(), null, 10).items()).isEmpty();
    }

    @Test
    void badCursorOrLimitIsRefused() {
        WebhookSubscription s = subscribe("offered");

        assertThatThrownBy(() -> webhooks().deliveries(tenant, s.id(), "bm90LWEtY3Vyc29y", 10))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> webhooks().deliveries(tenant, s.id(), "%%%", 10))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> webhooks().deliveries(tenant, s.id(), null, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> webhooks().deliveries(tenant, s.id(), null, WebhookRepository.MAX_PAGE + 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void deletingASubscriptionDeletesItsDeliveries() {
        WebhookSubscription s = subscribe("offered");
        WebhookDelivery d = webhooks().addDeliveries(tenant, List.of(s.id()), 9, "offered", PAYLOAD).get(0);

        assertThat(webhooks().deleteSubscription(tenant, s.id())).isTrue();

        assertThat(webhooks().findSubscription(tenant, s.id())).isEmpty();
        assertThat(webhooks().findDelivery(tenant, d.id())).isEmpty();
        assertThat(webhooks().activeSubscriptions()).doesNotContain(s);
        assertThat(webhooks().deleteSubscription(tenant, s.id())).isFalse();
    }

    @Test
    void purgeDeletesOnlyFinishedDeliveriesBeforeTheCutoff() {
        WebhookSubscription s = subscribe("offered");
        List<WebhookDelivery> rows = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            rows.add(webhooks().addDeliveries(tenant, List.of(s.id()), i, "offered", PAYLOAD).get(0));
        }
        webhooks().recordDelivered(tenant, rows.get(0).id(), 1, 200, T0);
        webhooks().recordFailed(tenant, rows.get(1).id(), 10, 500, "HTTP 500", T0);
        webhooks().recordDelivered(tenant, rows.get(2).id(), 1, 200, T0.plusSeconds(7200));

        long purged = webhooks().purgeFinishedBefore(T0.plusSeconds(3600));

        assertThat(purged).isGreaterThanOrEqualTo(2);
        assertThat(webhooks().findDelivery(tenant, rows.get(0).id())).isEmpty();
        assertThat(webhooks().findDelivery(tenant, rows.get(1).id())).isEmpty();
        assertThat(webhooks().findDelivery(tenant, rows.get(2).id())).isPresent();
        assertThat(webhooks().findDelivery(tenant, rows.get(3).id())).isPresent();
    }

    @Test
    void pendingDeliveriesSurviveARestart() {
        WebhookSubscription s = subscribe("offered");
        WebhookDelivery d = webhooks().addDeliveries(tenant, List.of(s.id()), 11, "offered", PAYLOAD).get(0);

        restart();

        assertThat(webhooks().findSubscription(tenant, s.id())).contains(s);
        assertThat(webhooks().findDelivery(tenant, d.id())).contains(d);
    }
}
