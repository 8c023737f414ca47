package io.musubi.testkit;

import io.musubi.store.jdbc.JdbcSettings;
import io.musubi.store.jdbc.JdbcStore;
import java.nio.file.Path;
import java.time.Clock;

/** The JDBC store as other modules' tests use it: an embedded H2 file, migrated, durable commits. */
public final class TestStores {

    private TestStores() {
    }

    /** A store on an H2 file at {@code dir} (created or reopened), with the system clock. */
    public static JdbcStore h2(Path dir) {
        return JdbcStore.open(JdbcSettings.embedded(dir));
    }

    /** A store on an H2 file at {@code dir} whose own time stamps come from {@code clock}. */
    public static JdbcStore h2(Path dir, Clock clock) {
        return JdbcStore.open(JdbcSettings.embedded(dir), clock, JdbcStore.defaultNodeId());
    }
}
