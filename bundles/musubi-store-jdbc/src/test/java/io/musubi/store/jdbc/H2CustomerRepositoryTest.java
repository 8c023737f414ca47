package io.musubi.store.jdbc;

/** The customer repository contract on embedded H2. */
class H2CustomerRepositoryTest extends AbstractCustomerRepositoryTest {
    @Override
    protected JdbcSettings settings() {
        return TestDatabases.h2("customers");
    }
}
