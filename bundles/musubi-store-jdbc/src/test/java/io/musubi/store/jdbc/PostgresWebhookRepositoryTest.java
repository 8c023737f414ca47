package io.musubi.store.jdbc;

/** The webhook repository contract on PostgreSQL; skipped unless MUSUBI_TEST_PG_URL is set. */
class PostgresWebhookRepositoryTest extends AbstractWebhookRepositoryTest {
    @Override
    protected JdbcSettings settings() {
        return TestDatabases.postgres();
    }
}
