package io.musubi.store.jdbc;

import io.musubi.store.AddressInUseException;
import io.musubi.store.CustomerRepository;
import io.musubi.store.CustomerResolution;
import io.musubi.store.HistoryException;
import io.musubi.store.MergeRecord;
import io.musubi.store.UnknownCustomerException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.musubi.model.Address;
import io.musubi.model.Customer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The {@link CustomerRepository} contract (resolution, linking, merge and split); one subclass per database. */
abstract class AbstractCustomerRepositoryTest extends AbstractHistoryTest {

    private static final Address LINE = Address.parse("line:Uaaaa");
    private static final Address TEL = Address.parse("tel:+81312345678");
    private static final Address MAIL = Address.parse("mailto:hanako@example.jp");

    @Test
    void unknownAddressCreatesACustomerAndKnownAddressFindsIt() {
        CustomerResolution first = customers().resolveOrCreate(tenant, LINE);
        CustomerResolution second = customers().resolveOrCreate(tenant, LINE);

        assertThat(first.created()).isTrue();
        assertThat(second.created()).isFalse();
        assertThat(second.customer()).isEqualTo(first.customer());
        assertThat(first.customer().addresses()).containsExactly(LINE);
        assertThat(first.customer().tenantId()).isEqualTo(tenant);
        assertThat(customers().findByAddress(tenant, LINE)).contains(first.customer());
        assertThat(customers().find(tenant, first.customer().id())).contains(first.customer());
    }

    @Test
    void newCustomerIdsAreVersion7UuidsInCreationOrder() {
        String first = customers().resolveOrCreate(tenant, LINE).customer().id();
        long created = System.currentTimeMillis();
        while (System.currentTimeMillis() == created) {
            Thread.onSpinWait(); // the next id in a later millisecond
        }
        String second = customers().resolveOrCreate(tenant, TEL).customer().id();

        assertThat(java.util.UUID.fromString(first).version()).isEqualTo(7);
        assertThat(java.util.UUID.fromString(first).variant()).isEqualTo(2);
        assertThat(first).isLessThan(second);
        assertThat(java.util.UUID.fromString(first).getMostSignificantBits() >>> 16)
                .isBetween(created - 60_000, created);
    }

    @Test
    void aValueTheDatabaseRefusesIsNeverQuotedInTheFailure() {
        String name = "Yamada-Hanako-" + "x".repeat(600);

        assertThatThrownBy(() -> customers().create(tenant, name))
                .isInstanceOf(HistoryException.class)
                .satisfies(e -> {
                    java.io.StringWriter trace = new java.io.StringWriter();
                    e.printStackTrace(new java.io.PrintWriter(trace));
                    assertThat(trace.toString()).contains("SQLState 22001").doesNotContain("Yamada-Hanako");
                });
    }

    @Test
    void resolutionIsTenantScoped() {
        Customer a = customers().resolveOrCreate(tenant, LINE).customer();
        CustomerResolution b = customers().resolveOrCreate(tenant + "-2", LINE);

        assertThat(b.created()).isTrue();
        assertThat(b.customer().id()).isNotEqualTo(a.id());
        assertThat(customers().find(tenant + "-2", a.id())).isEmpty();
        assertThat(customers().findByAddress(tenant + "-3", LINE)).isEmpty();
    }

    @Test
    void concurrentResolutionOfOneNewAddressCreatesOneCustomer() throws Exception {
        int threads = 6;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<CustomerResolution>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                Callable<CustomerResolution> call = () -> {
                    start.await();
                    return customers().resolveOrCreate(tenant, TEL);
                };
                results.add(pool.submit(call));
            }
            start.countDown();
            List<CustomerResolution> done = new ArrayList<>();
            for (Future<CustomerResolution> f : results) {
                done.add(f.get(30, TimeUnit.SECONDS));
            }
            assertThat(done).extracting(r -> r.customer().id()).containsOnly(done.get(0).customer().id());
            assertThat(done).filteredOn(CustomerResolution::created).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void linkedAddressResolvesToTheSameCustomer() {
        Customer c = customers().resolveOrCreate(tenant, LINE).customer();

        Customer linked = customers().linkAddress(tenant, c.id(), TEL);

        assertThat(linked.addresses()).containsExactlyInAnyOrder(LINE, TEL);
        CustomerResolution byPhone = customers().resolveOrCreate(tenant, TEL);
        assertThat(byPhone.created()).isFalse();
        assertThat(byPhone.customer().id()).isEqualTo(c.id());
        assertThat(customers().linkAddress(tenant, c.id(), TEL).addresses()).hasSize(2);
    }

    @Test
    void linkingAnAddressOfAnotherCustomerIsRefused() {
        Customer a = customers().resolveOrCreate(tenant, LINE).customer();
        Customer b = customers().resolveOrCreate(tenant, TEL).customer();

        assertThatThrownBy(() -> customers().linkAddress(tenant, a.id(), TEL))
                .isInstanceOf(AddressInUseException.class)
                .hasMessageNotContaining("+81")
                .satisfies(e -> assertThat(((AddressInUseException) e).ownerCustomerId()).isEqualTo(b.id()));
        assertThatThrownBy(() -> customers().linkAddress(tenant, "nobody", MAIL))
                .isInstanceOf(UnknownCustomerException.class);
    }

    @Test
    void unlinkedAddressResolvesToANewCustomer() {
        Customer c = customers().resolveOrCreate(tenant, LINE).customer();
        customers().linkAddress(tenant, c.id(), TEL);

        Customer after = customers().unlinkAddress(tenant, c.id(), TEL);

        assertThat(after.addresses()).containsExactly(LINE);
        assertThat(customers().resolveOrCreate(tenant, TEL).customer().id()).isNotEqualTo(c.id());
    }

    @Test
    void mergeShowsBothIdentitiesUnderTheSurvivorAndSplitRestoresThem() {
        Customer line = customers().resolveOrCreate(tenant, LINE).customer();
        Customer phone = customers().resolveOrCreate(tenant, TEL).customer();
        customers().addTags(tenant, phone.id(), Set.of("vip"));
        customers().putExternalRef(tenant, phone.id(), "salesforce", "003-PHONE");
        customers().setDisplayName(tenant, phone.id(), "Hanako");

        MergeRecord merge = customers().merge(tenant, line.id(), phone.id(), "agent:a1");

        assertThat(merge.survivorId()).isEqualTo(line.id());
        assertThat(merge.mergedId()).isEqualTo(phone.id());
        assertThat(merge.inForce()).isTrue();
        Customer merged = customers().find(tenant, line.id()).orElseThrow();
        assertThat(merged.addresses()).containsExactlyInAnyOrder(LINE, TEL);
        assertThat(merged.isVip()).isTrue();
        assertThat(merged.externalRefs()).containsEntry("salesforce", "003-PHONE");
        assertThat(merged.displayName()).isEqualTo("Hanako");
        assertThat(customers().find(tenant, phone.id())).contains(merged);
        assertThat(customers().survivorOf(tenant, phone.id())).contains(line.id());
        assertThat(customers().resolveOrCreate(tenant, TEL).customer().id()).isEqualTo(line.id());
        assertThat(customers().merges(tenant, phone.id())).containsExactly(merge);
        assertThatThrownBy(() -> customers().merge(tenant, phone.id(), line.id(), "agent:a1"))
                .isInstanceOf(IllegalStateException.class);

        // linked while merged: stays with the survivor after the split
        customers().linkAddress(tenant, phone.id(), MAIL);

        Customer restored = customers().split(tenant, merge.id(), "agent:a2");

        assertThat(restored.id()).isEqualTo(phone.id());
        assertThat(restored.addresses()).containsExactly(TEL);
        assertThat(restored.isVip()).isTrue();
        assertThat(restored.displayName()).isEqualTo("Hanako");
        Customer survivor = customers().find(tenant, line.id()).orElseThrow();
        assertThat(survivor.addresses()).containsExactlyInAnyOrder(LINE, MAIL);
        assertThat(survivor.isVip()).isFalse();
        assertThat(customers().resolveOrCreate(tenant, TEL).customer().id()).isEqualTo(phone.id());
        MergeRecord after = customers().findMerge(tenant, merge.id()).orElseThrow();
        assertThat(after.inForce()).isFalse();
        assertThat(after.splitBy()).isEqualTo("agent:a2");
        assertThatThrownBy(() -> customers().split(tenant, merge.id(), "agent:a2"))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void nestedMergesSplitAsWholeSubtrees() {
        String a = customers().resolveOrCreate(tenant, LINE).customer().id();
        String b = customers().resolveOrCreate(tenant, TEL).customer().id();
        String c = customers().resolveOrCreate(tenant, MAIL).customer().id();
        customers().merge(tenant, a, b, "agent:1");
        // merging into a merged customer means merging into its survivor
        MergeRecord top = customers().merge(tenant, c, b, "agent:1");

        assertThat(top.survivorId()).isEqualTo(c);
        assertThat(top.mergedId()).isEqualTo(a);
        assertThat(customers().find(tenant, b).orElseThrow().addresses()).containsExactlyInAnyOrder(LINE, TEL, MAIL);
        assertThat(customers().merges(tenant, c)).hasSize(2);

        Customer split = customers().split(tenant, top.id(), "agent:1");

        assertThat(split.id()).isEqualTo(a);
        assertThat(split.addresses()).containsExactlyInAnyOrder(LINE, TEL);
        assertThat(customers().find(tenant, c).orElseThrow().addresses()).containsExactly(MAIL);
        assertThat(customers().survivorOf(tenant, b)).contains(a);
    }

    @Test
    void tagsAndReferencesAreKeptPerCustomer() {
        Customer c = customers().resolveOrCreate(tenant, LINE).customer();

        customers().addTags(tenant, c.id(), Set.of("vip", "gold"));
        customers().addTags(tenant, c.id(), Set.of("vip"));
        customers().putExternalRef(tenant, c.id(), "salesforce", "003A");
        customers().putExternalRef(tenant, c.id(), "salesforce", "003B");
        customers().putExternalRef(tenant, c.id(), "zendesk", "99");

        Customer view = customers().find(tenant, c.id()).orElseThrow();
        assertThat(view.tags()).containsExactlyInAnyOrder("vip", "gold");
        assertThat(view.isVip()).isTrue();
        assertThat(view.externalRefs()).containsExactlyInAnyOrderEntriesOf(
                java.util.Map.of("salesforce", "003B", "zendesk", "99"));
        assertThat(customers().findByExternalRef(tenant, "salesforce", "003B")).map(Customer::id).contains(c.id());
        assertThat(customers().findByExternalRef(tenant, "salesforce", "003A")).isEmpty();

        Customer after = customers().removeTags(tenant, c.id(), Set.of("vip"));
        after = customers().removeExternalRef(tenant, after.id(), "zendesk");
        assertThat(after.isVip()).isFalse();
        assertThat(after.externalRefs()).containsOnlyKeys("salesforce");
    }

    @Test
    void customersCanBeCreatedWithoutAnAddress() {
        Customer c = customers().create(tenant, "From CRM");

        assertThat(c.displayName()).isEqualTo("From CRM");
        assertThat(c.addresses()).isEmpty();
        assertThat(customers().linkAddress(tenant, c.id(), MAIL).addresses()).containsExactly(MAIL);
        assertThat(customers().find(tenant, "no-such-id")).isEmpty();
    }
}
