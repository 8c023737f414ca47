package io.musubi.store.jdbc;

/** The API repositories on PostgreSQL; skipped unless MUSUBI_TEST_PG_URL is set. */
class PostgresApiRepositoriesTest extends AbstractApiRepositoriesTest {
    @Override
    protected JdbcSettings settings() {
        return TestDatabases.postgres();
    }
}
