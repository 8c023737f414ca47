package io.musubi.history;

/** The account-link nonces on PostgreSQL; skipped unless MUSUBI_TEST_PG_URL is set. */
class PostgresLinkNonceRepositoryTest extends AbstractLinkNonceRepositoryTest {
    @Override
    protected JdbcSettings settings() {
        return TestDatabases.postgres();
    }
}
