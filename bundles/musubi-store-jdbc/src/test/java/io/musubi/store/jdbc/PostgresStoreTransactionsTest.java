package io.musubi.store.jdbc;

/** {@link io.musubi.store.StoreTransactions} on PostgreSQL; skipped unless MUSUBI_TEST_PG_URL is set. */
class PostgresStoreTransactionsTest extends AbstractStoreTransactionsTest {
    @Override
    protected JdbcSettings settings() {
        return TestDatabases.postgres();
    }
}
