package io.musubi.identity;

import io.musubi.store.jdbc.JdbcSettings;
import java.nio.file.Path;
import java.util.UUID;

/** The identity contract on embedded H2 (a file under target/h2). */
class H2IdentityServiceTest extends AbstractIdentityServiceTest {
    @Override
    protected JdbcSettings settings() {
        return JdbcSettings.embedded(Path.of("target", "h2", "identity-" + UUID.randomUUID())).withMaxPoolSize(4);
    }
}
