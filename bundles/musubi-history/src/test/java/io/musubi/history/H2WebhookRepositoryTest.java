package io.musubi.history;

/** The webhook repository contract on embedded H2. */
class H2WebhookRepositoryTest extends AbstractWebhookRepositoryTest {
    @Override
    protected JdbcSettings settings() {
        return TestDatabases.h2("webhooks");
    }
}
