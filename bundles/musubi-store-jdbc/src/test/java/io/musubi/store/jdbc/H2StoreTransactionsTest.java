package io.musubi.store.jdbc;

/** {@link io.musubi.store.StoreTransactions} on embedded H2. */
class H2StoreTransactionsTest extends AbstractStoreTransactionsTest {
    @Override
    protected JdbcSettings settings() {
        return TestDatabases.h2("transactions");
    }
}
