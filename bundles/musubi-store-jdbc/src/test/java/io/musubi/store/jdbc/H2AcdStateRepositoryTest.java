package io.musubi.store.jdbc;

/** {@link io.musubi.store.AcdStateRepository} on embedded H2. */
class H2AcdStateRepositoryTest extends AbstractAcdStateRepositoryTest {
    @Override
    protected JdbcSettings settings() {
        return TestDatabases.h2("acd-state");
    }
}
