package io.musubi.store.jdbc;

/** The API repositories on embedded H2. */
class H2ApiRepositoriesTest extends AbstractApiRepositoriesTest {
    @Override
    protected JdbcSettings settings() {
        return TestDatabases.h2("api");
    }
}
