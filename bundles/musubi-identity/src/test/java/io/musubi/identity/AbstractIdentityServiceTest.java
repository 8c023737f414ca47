package io.musubi.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.musubi.history.AddressInUseException;
import io.musubi.history.CustomerResolution;
import io.musubi.history.JdbcHistory;
import io.musubi.history.JdbcSettings;
import io.musubi.history.JourneyQuery;
import io.musubi.history.MergeRecord;
import io.musubi.model.Address;
import io.musubi.model.Channel;
import io.musubi.model.Customer;
import io.musubi.model.InteractionEvent;
import io.musubi.model.InteractionEventType;
import io.musubi.model.MessageContent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The identity service contract on a real history store; one subclass per database. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractIdentityServiceTest {

    private static final Instant T0 = Instant.parse("2025-04-01T09:00:00Z");

    private JdbcHistory history;
    private final List<EnrichmentHook> hooks = new CopyOnWriteArrayList<>();
    private IdentityService identity;
    private String tenant;

    protected abstract JdbcSettings settings();

    @BeforeAll
    void open() {
        history = JdbcHistory.open(settings());
        identity = IdentityServices.create(history.customers(), new AddressNormalizer("JP"), () -> hooks);
    }

    @AfterAll
    void close() {
        if (history != null) {
            history.close();
        }
    }

    @BeforeEach
    void fresh() {
        tenant = "t-" + UUID.randomUUID();
        hooks.clear();
    }

    @Test
    void differentlyWrittenNumbersResolveToOneCustomer() {
        CustomerResolution first = identity.resolve(tenant, Address.parse("tel:03-1234-5678"));
        CustomerResolution second = identity.resolve(tenant, Address.parse("tel:+81 3 1234 5678"));
        CustomerResolution third = identity.resolve(tenant, Address.parse("tel:0312345678;phone-context=+81"));

        assertThat(first.created()).isTrue();
        assertThat(second.created()).isFalse();
        assertThat(third.customer().id()).isEqualTo(first.customer().id());
        assertThat(first.customer().addresses()).containsExactly(Address.parse("tel:+81312345678"));
        assertThat(identity.findByAddress(tenant, Address.parse("tel:03(1234)5678"))).isPresent();
        assertThat(identity.resolve(tenant, Address.parse("mailto:Hanako@Example.JP")).customer().id())
                .isEqualTo(identity.resolve(tenant, Address.parse("mailto:Hanako@example.jp")).customer().id());
    }

    @Test
    void tenantsNeverShareCustomers() {
        String other = tenant + "-b";
        Customer a = identity.resolve(tenant, Address.parse("line:Uabc")).customer();
        Customer b = identity.resolve(other, Address.parse("line:Uabc")).customer();

        assertThat(a.id()).isNotEqualTo(b.id());
        assertThat(identity.find(other, a.id())).isEmpty();
        assertThatThrownBy(() -> identity.resolve(" ", Address.parse("line:Uabc")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void withheldCallerIsNotResolved() {
        assertThatThrownBy(() -> identity.resolve(tenant, Address.parse("tel:anonymous")))
                .isInstanceOf(InvalidAddressException.class);
    }

    @Test
    void lineThenPhoneReadsAsOneJourneyOnceLinked() {
        Customer line = identity.resolve(tenant, Address.parse("line:U4af4980629")).customer();
        history.store().append(new InteractionEvent("e1", tenant, "chat-1", line.id(), Channel.LINE,
                InteractionEventType.MESSAGE_IN, T0, "customer", Map.of(), MessageContent.text("hi")));

        identity.link(tenant, line.id(), Address.parse("tel:090-1234-5678"));
        CustomerResolution call = identity.resolve(tenant, Address.parse("tel:+819012345678"));
        history.store().append(InteractionEvent.of("e2", tenant, "call-1", call.customer().id(), Channel.VOICE,
                InteractionEventType.ARRIVED, T0.plusSeconds(60), "system", Map.of()));

        assertThat(call.created()).isFalse();
        assertThat(call.customer().id()).isEqualTo(line.id());
        assertThat(history.store().journey(JourneyQuery.of(tenant, line.id())).events())
                .extracting(InteractionEvent::channel).containsExactly(Channel.LINE, Channel.VOICE);
        assertThatThrownBy(() -> identity.link(tenant, identity.create(tenant, "").id(),
                Address.parse("tel:09012345678"))).isInstanceOf(AddressInUseException.class);
    }

    @Test
    void mergeAndSplitThroughTheService() {
        Customer line = identity.resolve(tenant, Address.parse("line:Uxyz")).customer();
        Customer phone = identity.resolve(tenant, Address.parse("tel:03-9999-0000")).customer();
        history.store().append(InteractionEvent.of("p1", tenant, "call-1", phone.id(), Channel.VOICE,
                InteractionEventType.ARRIVED, T0, "system", Map.of()));

        MergeRecord merge = identity.merge(tenant, line.id(), phone.id(), "agent:a1");

        assertThat(identity.resolve(tenant, Address.parse("tel:0399990000")).customer().id()).isEqualTo(line.id());
        assertThat(history.store().journey(JourneyQuery.of(tenant, line.id())).events()).hasSize(1);
        assertThat(identity.merges(tenant, line.id())).containsExactly(merge);

        Customer back = identity.split(tenant, merge.id(), "agent:a1");

        assertThat(back.id()).isEqualTo(phone.id());
        assertThat(identity.resolve(tenant, Address.parse("tel:0399990000")).customer().id()).isEqualTo(phone.id());
        assertThat(history.store().journey(JourneyQuery.of(tenant, line.id())).events()).isEmpty();
    }

    @Test
    void vipTagsAndReferences() {
        Customer c = identity.resolve(tenant, Address.parse("line:Uvip")).customer();

        assertThat(identity.setVip(tenant, c.id(), true).isVip()).isTrue();
        assertThat(identity.addTags(tenant, c.id(), Set.of("gold")).tags()).containsExactlyInAnyOrder("vip", "gold");
        assertThat(identity.setVip(tenant, c.id(), false).tags()).containsExactly("gold");
        assertThat(identity.setExternalRef(tenant, c.id(), "salesforce", "003X").externalRefs())
                .containsEntry("salesforce", "003X");
        assertThat(identity.findByExternalRef(tenant, "salesforce", "003X")).map(Customer::id).contains(c.id());
        assertThat(identity.removeExternalRef(tenant, c.id(), "salesforce").externalRefs()).isEmpty();
        assertThat(identity.setDisplayName(tenant, c.id(), "Sato").displayName()).isEqualTo("Sato");
        assertThatThrownBy(() -> identity.addTags(tenant, c.id(), Set.of(" "))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void enrichmentHooksRunOnArrivalAndWriteOnlyChanges() {
        List<Boolean> calls = new ArrayList<>();
        hooks.add((t, customer, from, isNew) -> {
            calls.add(isNew);
            assertThat(from).contains(Address.parse("tel:+81312340000"));
            return Optional.of(new Enrichment("Suzuki Ichiro", Set.of("vip"), Map.of("crm", "C-1")));
        });

        CustomerResolution first = identity.resolve(tenant, Address.parse("tel:03-1234-0000"));
        CustomerResolution again = identity.resolve(tenant, Address.parse("tel:03-1234-0000"));

        assertThat(calls).containsExactly(true, false);
        assertThat(first.customer().displayName()).isEqualTo("Suzuki Ichiro");
        assertThat(first.customer().isVip()).isTrue();
        assertThat(first.customer().externalRefs()).containsEntry("crm", "C-1");
        assertThat(again.customer()).isEqualTo(first.customer());
        assertThat(identity.find(tenant, first.customer().id())).contains(first.customer());
    }

    @Test
    void aFailingHookNeverBreaksResolution() {
        hooks.add((t, c, from, isNew) -> {
            throw new IllegalStateException("CRM down for tel:+81312340001");
        });
        hooks.add((t, c, from, isNew) -> Optional.of(new Enrichment("", Set.of("from-second-hook"), Map.of())));

        CustomerResolution r = identity.resolve(tenant, Address.parse("tel:03-1234-0001"));

        assertThat(r.created()).isTrue();
        assertThat(r.customer().tags()).containsExactly("from-second-hook");
    }

    @Test
    void displayNamesFollowTheNameRuleWhoeverSetsThem() {
        Customer c = identity.create(tenant, "  Sato Hanako ");
        assertThat(c.displayName()).isEqualTo("Sato Hanako");
        assertThatThrownBy(() -> identity.setDisplayName(tenant, c.id(), "Sato\u202Eokana"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("displayName:");
        assertThatThrownBy(() -> identity.create(tenant, "n".repeat(129)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("displayName: at most 128");

        hooks.add((t, customer, from, isNew) -> Optional.of(new Enrichment("Evil\r\nCorp", Set.of("crm"), Map.of())));
        CustomerResolution r = identity.resolve(tenant, Address.parse("tel:03-1234-0002"));

        assertThat(r.customer().displayName()).isEmpty();
        assertThat(identity.find(tenant, c.id()).orElseThrow().displayName()).isEqualTo("Sato Hanako");
    }

    @Test
    void explicitEnrichRunsTheHooksWithoutAnAddress() {
        Customer c = identity.create(tenant, "");
        hooks.add((t, customer, from, isNew) -> from.isEmpty()
                ? Optional.of(new Enrichment("From CRM", Set.of(), Map.of())) : Optional.empty());

        assertThat(identity.enrich(tenant, c.id()).displayName()).isEqualTo("From CRM");
    }
}
