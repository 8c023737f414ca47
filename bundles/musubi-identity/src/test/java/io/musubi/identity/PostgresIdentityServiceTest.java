package io.musubi.identity;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.musubi.store.jdbc.JdbcSettings;

/**
 * The identity contract on PostgreSQL, named by MUSUBI_TEST_PG_URL (+ _USER, _PASSWORD; see
 * scripts/postgres-test.sh); skipped when unset.
 */
class PostgresIdentityServiceTest extends AbstractIdentityServiceTest {
    @Override
    protected JdbcSettings settings() {
        String url = System.getenv("MUSUBI_TEST_PG_URL");
        assumeTrue(url != null && !url.isBlank(), "MUSUBI_TEST_PG_URL not set: PostgreSQL tests skipped");
        return JdbcSettings.of(url, System.getenv("MUSUBI_TEST_PG_USER"), System.getenv("MUSUBI_TEST_PG_PASSWORD"))
                .withMaxPoolSize(4);
    }
}
