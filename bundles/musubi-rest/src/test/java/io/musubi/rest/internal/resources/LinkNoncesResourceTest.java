package io.musubi.rest.internal.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.musubi.store.jdbc.JdbcStore;
import io.musubi.store.jdbc.JdbcSettings;
import io.musubi.identity.IdentityService;
import io.musubi.identity.IdentityServices;
import io.musubi.model.Customer;
import io.musubi.rest.internal.security.Caller;
import io.musubi.rest.Role;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.nio.file.Path;
import java.security.Principal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The account-link nonce resource on a real H2 store: issued for the caller's tenant only, bounded expiry. */
class LinkNoncesResourceTest {

    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

    private JdbcStore history;
    private IdentityService identity;
    private LinkNoncesResource resource;

    @BeforeEach
    void start() {
        history = JdbcStore.open(JdbcSettings.embedded(Path.of("target", "h2", "nonces-" + UUID.randomUUID())));
        identity = IdentityServices.create(history.customers(), "JP");
        resource = new LinkNoncesResource(identity, history.linkNonces(), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterEach
    void stop() {
        history.close();
    }

    private static SecurityContext as(String tenant, Role role) {
        Caller caller = new Caller(tenant, "key-1", Set.of(role), role == Role.AGENT ? "alice" : null);
        return new SecurityContext() {
            @Override
            public Principal getUserPrincipal() {
                return caller;
            }

            @Override
            public boolean isUserInRole(String r) {
                return caller.has(Role.valueOf(r.toUpperCase(java.util.Locale.ROOT)));
            }

            @Override
            public boolean isSecure() {
                return false;
            }

            @Override
            public String getAuthenticationScheme() {
                return "test";
            }
        };
    }

    @Test
    void aNonceIsIssuedForTheCustomerAndLinksOnceWithinItsExpiry() {
        Customer c = identity.create("acme", "Hanako");
        Response r = resource.issue(as("acme", Role.INTEGRATION), c.id(), new LinkNoncesResource.Body(120L));
        assertThat(r.getStatus()).isEqualTo(201);
        assertThat(r.getHeaderString("Cache-Control")).isEqualTo("no-store");
        LinkNoncesResource.View view = (LinkNoncesResource.View) r.getEntity();
        assertThat(view.customerId()).isEqualTo(c.id());
        assertThat(view.expiresAt()).isEqualTo(NOW.plusSeconds(120));
        assertThat(view.toString()).doesNotContain(view.nonce());
        assertThat(history.linkNonces().use("acme", view.nonce(), "e", NOW.plusSeconds(60))).contains(c.id());

        LinkNoncesResource.View byDefault = (LinkNoncesResource.View) resource.issue(as("acme", Role.AGENT),
                c.id(), null).getEntity();
        assertThat(byDefault.expiresAt()).isEqualTo(NOW.plusSeconds(600));
    }

    @Test
    void anotherTenantsCustomerIsNotFoundAndTheExpiryIsBounded() {
        Customer c = identity.create("acme", "Hanako");
        assertThatThrownBy(() -> resource.issue(as("other", Role.INTEGRATION), c.id(), null))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> resource.issue(as("acme", Role.INTEGRATION), c.id(),
                new LinkNoncesResource.Body(59L))).isInstanceOf(BadRequestException.class)
                .hasMessageContaining("ttlSeconds");
        assertThatThrownBy(() -> resource.issue(as("acme", Role.INTEGRATION), c.id(),
                new LinkNoncesResource.Body(3601L))).isInstanceOf(BadRequestException.class);
    }
}
