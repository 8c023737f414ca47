package io.musubi.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.musubi.model.Address;
import io.musubi.model.Channel;
import io.musubi.model.Interaction;
import io.musubi.model.InteractionEventType;
import io.musubi.model.InteractionState;
import io.musubi.store.CustomerResolution;
import io.musubi.store.StoreTransactions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The contract of {@link StoreTransactions}: one commit across repositories, rollback, nesting, own reads. */
abstract class AbstractStoreTransactionsTest extends AbstractHistoryTest {

    /** What the ingress stores for one inbound event. */
    private String inboundEvent(String n) {
        CustomerResolution r = customers().resolveOrCreate(tenant, Address.parse("line:U" + n));
        String customer = r.customer().id();
        Interaction x = interaction("i-" + n, Channel.LINE, "line:U" + n, customer, "q", InteractionState.QUEUED, T0,
                T0, "", Map.of());
        store().saveInteraction(x);
        store().appendAll(List.of(
                event("a-" + n, x.id(), customer, Channel.LINE, InteractionEventType.ARRIVED, T0),
                message("m-" + n, x.id(), customer, Channel.LINE, T0, "hello " + n)));
        assertThat(history.idempotency().markProcessed(tenant, "line~main", "wh-" + n)).isTrue();
        return customer;
    }

    @Test
    void everythingOfOneInboundEventCommitsTogether() {
        String customer = history.transactions().inTransaction(() -> inboundEvent("1"));

        assertThat(customers().findByAddress(tenant, Address.parse("line:U1"))).get()
                .extracting(c -> c.id()).isEqualTo(customer);
        assertThat(store().findInteraction(tenant, "i-1")).isPresent();
        assertThat(store().interactionEvents(tenant, "i-1")).hasSize(2);
        assertThat(history.idempotency().isProcessed(tenant, "line~main", "wh-1")).isTrue();
    }

    @Test
    void aFailureRollsBackEveryRepositorysWrites() {
        assertThatThrownBy(() -> history.transactions().runInTransaction(() -> {
            inboundEvent("2");
            throw new IllegalStateException("the ACD refused it");
        })).isInstanceOf(IllegalStateException.class).hasMessage("the ACD refused it");

        assertThat(customers().findByAddress(tenant, Address.parse("line:U2"))).isEmpty();
        assertThat(store().findInteraction(tenant, "i-2")).isEmpty();
        assertThat(store().interactionEvents(tenant, "i-2")).isEmpty();
        assertThat(history.idempotency().isProcessed(tenant, "line~main", "wh-2")).isFalse();
        // and the same event goes through on its redelivery
        history.transactions().inTransaction(() -> inboundEvent("2"));
        assertThat(store().interactionEvents(tenant, "i-2")).hasSize(2);
    }

    @Test
    void aNestedTransactionJoinsTheOuterOne() {
        StoreTransactions tx = history.transactions();
        assertThatThrownBy(() -> tx.runInTransaction(() -> {
            tx.runInTransaction(() -> inboundEvent("3"));
            assertThat(store().findInteraction(tenant, "i-3")).as("the inner one did not commit on its own")
                    .isPresent();
            throw new IllegalStateException("outer fails");
        })).hasMessage("outer fails");
        assertThat(store().findInteraction(tenant, "i-3")).isEmpty();
        assertThat(history.idempotency().isProcessed(tenant, "line~main", "wh-3")).isFalse();
    }

    @Test
    void aTransactionCommittedWithoutWaitingIsVisibleAndAnyThreadMayWaitForItsDurability() throws Exception {
        String customer = history.transactions().inTransactionCommitted(() -> inboundEvent("5"));
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            assertThat(other.submit(() -> store().findInteraction(tenant, "i-5")).get(30, TimeUnit.SECONDS))
                    .as("committed: another thread sees it").isPresent();
            other.submit(() -> history.transactions().awaitDurable()).get(30, TimeUnit.SECONDS);
        } finally {
            other.shutdownNow();
        }
        assertThat(customers().findByAddress(tenant, Address.parse("line:U5"))).get()
                .extracting(c -> c.id()).isEqualTo(customer);
        // A failure rolls back as with inTransaction.
        assertThatThrownBy(() -> history.transactions().inTransactionCommitted(() -> {
            inboundEvent("6");
            throw new IllegalStateException("refused");
        })).hasMessage("refused");
        assertThat(store().findInteraction(tenant, "i-6")).isEmpty();
    }

    @Test
    void writesInsideAreInvisibleToOtherThreadsUntilTheCommit() throws Exception {
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            history.transactions().runInTransaction(() -> {
                inboundEvent("4");
                assertThat(store().findInteraction(tenant, "i-4")).as("the transaction reads its own writes")
                        .isPresent();
                try {
                    assertThat(other.submit(() -> store().findInteraction(tenant, "i-4")).get(30, TimeUnit.SECONDS))
                            .as("another thread does not see it yet").isEmpty();
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            assertThat(other.submit(() -> store().findInteraction(tenant, "i-4")).get(30, TimeUnit.SECONDS))
                    .isPresent();
        } finally {
            other.shutdownNow();
        }
    }

    @Test
    void concurrentTransactionsResolvingOneNewAddressAgreeOnOneCustomer() throws Exception {
        int threads = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CyclicBarrier start = new CyclicBarrier(threads);
        try {
            List<Future<String>> ids = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int n = t;
                ids.add(pool.submit(() -> {
                    start.await(30, TimeUnit.SECONDS);
                    return history.transactions().inTransaction(() -> {
                        String id = customers().resolveOrCreate(tenant, Address.parse("tel:+81312340000"))
                                .customer().id();
                        store().append(event("e-" + n, "i-race", id, Channel.VOICE, InteractionEventType.ARRIVED,
                                T0.plusSeconds(n)));
                        return id;
                    });
                }));
            }
            List<String> seen = new ArrayList<>();
            for (Future<String> f : ids) {
                seen.add(f.get(60, TimeUnit.SECONDS));
            }
            assertThat(seen).hasSize(threads).containsOnly(seen.get(0));
            assertThat(store().interactionEvents(tenant, "i-race")).hasSize(threads);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void batchedInteractionSavesAndAppendsInOneTransaction() {
        List<Interaction> xs = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            xs.add(interaction("b-" + i, Channel.WEBCHAT, "webchat:v" + i, "", "q", InteractionState.QUEUED, T0,
                    T0.plusSeconds(i), "", Map.of("n", Integer.toString(i))));
        }
        history.transactions().runInTransaction(() -> {
            store().saveInteractions(xs);
            store().appendAll(xs.stream().map(x -> event("q-" + x.id(), x.id(), "", Channel.WEBCHAT,
                    InteractionEventType.QUEUED, x.updatedAt())).toList());
        });
        assertThat(store().findInteraction(tenant, "b-49")).get().extracting(Interaction::attributes)
                .isEqualTo(Map.of("n", "49"));
        assertThat(history.acdState().openInteractions(tenant)).hasSize(50);
        assertThat(store().interactionEvents(tenant, "b-7")).hasSize(1);
    }
}
