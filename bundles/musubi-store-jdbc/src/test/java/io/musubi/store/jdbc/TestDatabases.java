package io.musubi.store.jdbc;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.UUID;

/**
 * Where the contract tests run: an H2 file under target/, or the PostgreSQL named by {@code MUSUBI_TEST_PG_URL}
 * (+ {@code MUSUBI_TEST_PG_USER}, {@code MUSUBI_TEST_PG_PASSWORD}); PostgreSQL tests are skipped when it is unset.
 * scripts/postgres-test.sh starts a throwaway PostgreSQL and prints these variables.
 */
public final class TestDatabases {

    private TestDatabases() {
    }

    /** A fresh H2 database file under target/h2/. */
    public static JdbcSettings h2(String name) {
        Path base = Path.of("target", "h2", name + "-" + UUID.randomUUID());
        return JdbcSettings.embedded(base).withMaxPoolSize(4);
    }

    /** The test PostgreSQL; skips the calling test class when none is configured. */
    public static JdbcSettings postgres() {
        String url = System.getenv("MUSUBI_TEST_PG_URL");
        assumeTrue(url != null && !url.isBlank(), "MUSUBI_TEST_PG_URL not set: PostgreSQL tests skipped");
        return JdbcSettings.of(url, System.getenv("MUSUBI_TEST_PG_USER"), System.getenv("MUSUBI_TEST_PG_PASSWORD"))
                .withMaxPoolSize(4);
    }
}
