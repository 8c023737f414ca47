package io.musubi.history;

/** The account-link nonces on embedded H2. */
class H2LinkNonceRepositoryTest extends AbstractLinkNonceRepositoryTest {
    @Override
    protected JdbcSettings settings() {
        return TestDatabases.h2("link-nonces");
    }
}
