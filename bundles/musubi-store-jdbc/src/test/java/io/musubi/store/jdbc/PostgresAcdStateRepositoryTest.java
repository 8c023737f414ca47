package io.musubi.store.jdbc;

/** {@link io.musubi.store.AcdStateRepository} on PostgreSQL; skipped unless MUSUBI_TEST_PG_URL is set. */
class PostgresAcdStateRepositoryTest extends AbstractAcdStateRepositoryTest {
    @Override
    protected JdbcSettings settings() {
        return TestDatabases.postgres();
    }
}
