package io.musubi.store.jdbc;

/** The history store contract on embedded H2 (a file under target/h2). */
class H2HistoryStoreTest extends AbstractHistoryStoreTest {
    @Override
    protected JdbcSettings settings() {
        return TestDatabases.h2("store");
    }
}
