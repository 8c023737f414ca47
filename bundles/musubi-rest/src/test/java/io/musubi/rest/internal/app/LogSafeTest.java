package io.musubi.rest.internal.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.SQLIntegrityConstraintViolationException;
import org.junit.jupiter.api.Test;

class LogSafeTest {

    @Test
    void aChainWithoutADriverExceptionIsLoggedAsItIs() {
        RuntimeException plain = new IllegalStateException("boom", new IllegalArgumentException("inner"));
        assertThat(LogSafe.of(plain)).isSameAs(plain);
        assertThat(LogSafe.of(null)).isNull();
    }

    @Test
    void driverMessagesAreWithheldAnywhereInTheChainAndTheRestIsKept() {
        SQLIntegrityConstraintViolationException driver = new SQLIntegrityConstraintViolationException(
                "Key (tenant_id, address)=(acme, mailto:hanako@example.jp) already exists", "23505", 23505);
        RuntimeException top = new RuntimeException("linking failed", driver);
        top.addSuppressed(new IllegalStateException("rollback failed", new java.sql.SQLException(
                "connection reset while sending mailto:hanako@example.jp", "08006")));

        Throwable safe = LogSafe.of(top);
        StringWriter trace = new StringWriter();
        safe.printStackTrace(new PrintWriter(trace));

        assertThat(trace.toString())
                .contains("java.lang.RuntimeException: linking failed")
                .contains("java.sql.SQLIntegrityConstraintViolationException (SQLState 23505, error 23505)")
                .contains("java.lang.IllegalStateException: rollback failed")
                .contains("java.sql.SQLException (SQLState 08006")
                .contains("at io.musubi.rest.internal.app.LogSafeTest")
                .doesNotContain("hanako");
    }
}
