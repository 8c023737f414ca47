package io.musubi.store.jdbc;

/** The API key repository contract on PostgreSQL; skipped unless MUSUBI_TEST_PG_URL is set. */
class PostgresApiKeyRepositoryTest extends AbstractApiKeyRepositoryTest {
    @Override
    protected JdbcSettings settings() {
        return TestDatabases.postgres();
    }
}
