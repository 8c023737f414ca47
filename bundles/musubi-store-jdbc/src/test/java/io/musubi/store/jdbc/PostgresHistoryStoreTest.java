package io.musubi.store.jdbc;

/** The history store contract on PostgreSQL; skipped unless MUSUBI_TEST_PG_URL is set. */
class PostgresHistoryStoreTest extends AbstractHistoryStoreTest {
    @Override
    protected JdbcSettings settings() {
        return TestDatabases.postgres();
    }
}
