package io.musubi.store.jdbc;

import io.musubi.store.ApiKey;
import io.musubi.store.ApiKeyRepository;
import io.musubi.store.IssuedApiKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The {@link ApiKeyRepository} contract (creation, look-up, tenant scoping, revocation); one subclass per database. */
abstract class AbstractApiKeyRepositoryTest extends AbstractHistoryTest {

    protected ApiKeyRepository keys() {
        return history.apiKeys();
    }

    @Test
    void createdKeyIsFoundByIdAndMatchesOnlyItsOwnSecret() {
        IssuedApiKey issued = keys().create(tenant, "CRM sync", Set.of("integration"), null);
        ApiKey key = issued.apiKey();

        assertThat(issued.key()).startsWith("msk_" + key.id() + "_");
        assertThat(ApiKey.idOf(issued.key())).contains(key.id());
        assertThat(key.tenantId()).isEqualTo(tenant);
        assertThat(key.roles()).containsExactly("integration");
        assertThat(key.isActive()).isTrue();
        assertThat(keys().find(key.id())).contains(key);

        ApiKey stored = keys().find(key.id()).orElseThrow();
        assertThat(stored.matches(issued.key())).isTrue();
        String secret = issued.key().substring(ApiKey.PREFIX.length() + 17);
        String flipped = issued.key().substring(0, issued.key().length() - 1)
                + (issued.key().endsWith("A") ? "B" : "A");
        assertThat(stored.matches(flipped)).isFalse();
        assertThat(stored.matches(keys().create(tenant, "other", Set.of("admin"), null).key())).isFalse();
        assertThat(stored.matches(null)).isFalse();
        assertThat(stored.secretHash()).isEqualTo(ApiKey.digest(secret)).doesNotContain(secret);
    }

    @Test
    void secretAndDigestNeverAppearInToString() {
        IssuedApiKey issued = keys().create(tenant, "ops", Set.of("admin"), null);
        String secret = issued.key().substring(ApiKey.PREFIX.length() + 17);

        assertThat(issued.toString()).doesNotContain(secret).doesNotContain(issued.apiKey().secretHash())
                .contains(issued.apiKey().id());
        assertThat(issued.apiKey().toString()).doesNotContain(issued.apiKey().secretHash());
        assertThat(keys().find(issued.apiKey().id()).orElseThrow().toString())
                .doesNotContain(issued.apiKey().secretHash());
    }

    @Test
    void keysAreListedPerTenantOldestFirst() {
        ApiKey a = keys().create(tenant, "a", Set.of("admin"), null).apiKey();
        ApiKey b = keys().create(tenant, "b", Set.of("agent"), "alice").apiKey();
        ApiKey other = keys().create(tenant + "-x", "c", Set.of("admin"), null).apiKey();

        List<ApiKey> listed = keys().list(tenant);
        assertThat(listed).extracting(ApiKey::id).containsExactlyInAnyOrder(a.id(), b.id());
        assertThat(listed).doesNotContain(other);
        assertThat(listed.get(0).createdAt()).isBeforeOrEqualTo(listed.get(1).createdAt());
        assertThat(keys().find(b.id()).orElseThrow().agentId()).isEqualTo("alice");
        assertThat(keys().list(tenant + "-y")).isEmpty();
    }

    @Test
    void revocationIsTenantScopedAndFinal() {
        ApiKey key = keys().create(tenant, "to revoke", Set.of("supervisor", "agent"), "bob").apiKey();

        assertThat(keys().revoke(tenant + "-x", key.id())).isFalse();
        assertThat(keys().find(key.id()).orElseThrow().isActive()).isTrue();

        assertThat(keys().revoke(tenant, key.id())).isTrue();
        ApiKey revoked = keys().find(key.id()).orElseThrow();
        assertThat(revoked.isActive()).isFalse();
        assertThat(revoked.revokedAt()).isAfterOrEqualTo(key.createdAt());
        assertThat(revoked.roles()).containsExactly("agent", "supervisor");

        assertThat(keys().revoke(tenant, key.id())).isTrue();
        assertThat(keys().find(key.id()).orElseThrow().revokedAt()).isEqualTo(revoked.revokedAt());
        assertThat(keys().revoke(tenant, "0123456789abcdef")).isFalse();
    }

    @Test
    void keysSurviveARestart() {
        IssuedApiKey issued = keys().create(tenant, "durable", Set.of("admin"), null);
        restart();
        assertThat(keys().find(issued.apiKey().id()).orElseThrow().matches(issued.key())).isTrue();
    }

    @Test
    void invalidInputIsRefused() {
        assertThatThrownBy(() -> keys().create("Not A Tenant", "x", Set.of("admin"), null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> keys().create(tenant, " ", Set.of("admin"), null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> keys().create(tenant, "x", Set.of(), null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> keys().create(tenant, "x", Set.of("agent"), "no spaces allowed"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(keys().list(tenant)).isEmpty();
        assertThat(keys().find("not-an-id")).isEmpty();
    }

    @Test
    void presentedKeysOfTheWrongShapeHaveNoId() {
        assertThat(ApiKey.idOf(null)).isEmpty();
        assertThat(ApiKey.idOf("msk_0123456789abcdef")).isEmpty();
        assertThat(ApiKey.idOf("msk_0123456789ABCDEF_" + "a".repeat(43))).isEmpty();
        assertThat(ApiKey.idOf("msk_0123456789abcdef_" + "a".repeat(42))).isEmpty();
        assertThat(ApiKey.idOf("xsk_0123456789abcdef_" + "a".repeat(43))).isEmpty();
        assertThat(ApiKey.idOf("msk_0123456789abcdef_" + "a".repeat(43))).contains("0123456789abcdef");
    }
}
