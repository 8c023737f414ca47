package io.musubi.hub.internal.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import io.musubi.api.InteractionIntake;
import io.musubi.store.jdbc.JdbcStore;
import io.musubi.store.LinkNonceRepository.IssuedNonce;
import io.musubi.identity.IdentityService;
import io.musubi.identity.IdentityServices;
import io.musubi.model.Address;
import io.musubi.model.Channel;
import io.musubi.model.Customer;
import io.musubi.model.InboundEvent;
import io.musubi.model.InteractionEventType;
import io.musubi.spi.ConnectorAttributes;

import io.musubi.testkit.TestStores;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Account linking by nonce on a real H2 store and identity service. */
class AccountLinkerTest {

    private static final String T = "t1";
    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    private static final Address LINE_USER = Address.parse("line:U4af4980629b3e2c7d1a5f0e86c9b2d47");
    private static final Address PHONE = Address.parse("tel:+819012345678");

    @TempDir
    Path dir;

    private JdbcStore history;
    private IdentityService identity;
    private AccountLinker linker;

    @BeforeEach
    void setUp() {
        history = TestStores.h2(dir.resolve("history"));
        identity = IdentityServices.create(history.customers(), "JP");
        linker = new AccountLinker(identity, history.linkNonces(), Clock.fixed(T0.plusSeconds(30), ZoneOffset.UTC));
    }

    @AfterEach
    void tearDown() {
        history.close();
    }

    private static InboundEvent accountLink(String eventId, String source, String nonce) {
        return new InboundEvent(eventId, source, T, Channel.LINE, InteractionEventType.NOTE, LINE_USER, null,
                LINE_USER.value(), null, Map.of(ConnectorAttributes.LINK_NONCE, nonce,
                        ConnectorAttributes.JOIN_ONLY, "true"), T0);
    }

    private Customer knownCustomer() {
        Customer c = identity.create(T, "Hanako Yamada");
        return identity.link(T, c.id(), PHONE);
    }

    @Test
    void theLineUserIsMergedIntoTheKnownCustomerAndARedeliveryChangesNothing() {
        Customer known = knownCustomer();
        String lineOnly = identity.resolve(T, LINE_USER).customer().id();
        IssuedNonce nonce = history.linkNonces().issue(T, known.id(), T0.plusSeconds(600));

        linker.onInbound(accountLink("ev-1", "line.main", nonce.nonce()));
        linker.onInbound(accountLink("ev-1", "line.main", nonce.nonce()));

        Customer now = identity.findByAddress(T, LINE_USER).orElseThrow();
        assertThat(now.id()).isEqualTo(known.id());
        assertThat(now.addresses()).contains(LINE_USER, PHONE);
        assertThat(identity.merges(T, known.id())).singleElement()
                .satisfies(m -> assertThat(m.mergedId()).isEqualTo(lineOnly));
    }

    @Test
    void anUnknownLineUserIsLinkedToTheKnownCustomer() {
        Customer known = knownCustomer();
        IssuedNonce nonce = history.linkNonces().issue(T, known.id(), T0.plusSeconds(600));
        linker.onInbound(accountLink("ev-2", "line.main", nonce.nonce()));
        assertThat(identity.findByAddress(T, LINE_USER)).map(Customer::id).contains(known.id());
    }

    @Test
    void anExpiredOrReusedNonceOrOneFromTheApiLinksNothing() {
        Customer known = knownCustomer();
        IssuedNonce expired = history.linkNonces().issue(T, known.id(), T0.plusSeconds(10));
        linker.onInbound(accountLink("ev-3", "line.main", expired.nonce()));
        assertThat(identity.findByAddress(T, LINE_USER)).isEmpty();

        IssuedNonce viaApi = history.linkNonces().issue(T, known.id(), T0.plusSeconds(600));
        linker.onInbound(accountLink("ev-4", InteractionIntake.API_SOURCE, viaApi.nonce()));
        assertThat(identity.findByAddress(T, LINE_USER)).isEmpty();

        IssuedNonce once = history.linkNonces().issue(T, known.id(), T0.plusSeconds(600));
        history.linkNonces().use(T, once.nonce(), "someone-else", T0);
        linker.onInbound(accountLink("ev-5", "line.main", once.nonce()));
        assertThat(identity.findByAddress(T, LINE_USER)).isEmpty();
    }
}
