package io.musubi.store.jdbc;

import io.musubi.store.ApiKey;
import io.musubi.store.ApiKeyRepository;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** The API key repository contract on embedded H2, plus {@link ApiKeyRepository#anyActive()} on a fresh database. */
class H2ApiKeyRepositoryTest extends AbstractApiKeyRepositoryTest {
    @Override
    protected JdbcSettings settings() {
        return TestDatabases.h2("apikeys");
    }

    @Test
    void anyActiveIsFalseUntilAKeyExistsAndAfterTheLastIsRevoked() {
        try (JdbcStore fresh = JdbcStore.open(TestDatabases.h2("apikeys-empty"))) {
            ApiKeyRepository keys = fresh.apiKeys();
            assertThat(keys.anyActive()).isFalse();

            ApiKey first = keys.create("default", "first", Set.of("admin"), null).apiKey();
            ApiKey second = keys.create("acme", "second", Set.of("admin"), null).apiKey();
            assertThat(keys.anyActive()).isTrue();

            keys.revoke("default", first.id());
            assertThat(keys.anyActive()).isTrue();
            keys.revoke("acme", second.id());
            assertThat(keys.anyActive()).isFalse();
        }
    }
}
