package io.musubi.store.jdbc;

/** The customer repository contract on PostgreSQL; skipped unless MUSUBI_TEST_PG_URL is set. */
class PostgresCustomerRepositoryTest extends AbstractCustomerRepositoryTest {
    @Override
    protected JdbcSettings settings() {
        return TestDatabases.postgres();
    }
}
