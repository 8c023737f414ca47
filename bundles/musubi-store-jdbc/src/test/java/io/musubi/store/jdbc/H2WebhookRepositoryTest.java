package io.musubi.store.jdbc;

/** The webhook repository contract on embedded H2. */
class H2WebhookRepositoryTest extends AbstractWebhookRepositoryTest {
    @Override
    protected JdbcSettings settings() {
        return TestDatabases.h2("webhooks");
    }
}
