package io.musubi.rest.internal.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.musubi.store.HistoryException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

/** The 500 path of the API: an incident id for the client, the exception in the log, the driver's quoted values not. */
class ProblemExceptionMapperTest {

    private static final String ADDRESS = "tel:+819012345678-yamada";

    @Test
    void aDriverExceptionIsLoggedWithItsStateAndStackButWithoutTheValuesItQuotes() throws Exception {
        SQLException driver = valueTooLong(ADDRESS);
        assertThat(driver.getMessage()).as("H2 quotes the value").contains(ADDRESS);
        RuntimeException failure = new RuntimeException("storing the interaction failed",
                new HistoryException("history write failed", driver));

        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.err;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        Response response;
        try {
            response = new ProblemExceptionMapper().toResponse(failure);
        } finally {
            System.setErr(original);
        }

        String log = captured.toString(StandardCharsets.UTF_8);
        Problem problem = (Problem) response.getEntity();
        assertThat(response.getStatus()).isEqualTo(500);
        assertThat(problem.detail()).startsWith("Internal error, incident ").doesNotContain(ADDRESS);
        String incident = problem.detail().substring("Internal error, incident ".length());
        assertThat(log).contains(incident)
                .contains("storing the interaction failed")
                .contains("history write failed")
                .contains("org.h2.jdbc.JdbcSQLDataException (SQLState 22001")
                .contains("at org.h2.")
                .doesNotContain("yamada").doesNotContain("819012345678");
    }

    @Test
    void aBusyIntakeIsA429ProblemWithRetryAfter() {
        Response response = new ProblemExceptionMapper().toResponse(
                new io.musubi.api.IntakeBusyException("the hub is busy", java.time.Duration.ofSeconds(2)));

        assertThat(response.getStatus()).isEqualTo(429);
        assertThat(response.getHeaderString("Retry-After")).isEqualTo("2");
        assertThat(response.getMediaType().toString()).isEqualTo("application/problem+json");
        assertThat(((Problem) response.getEntity()).detail()).isEqualTo("the hub is busy");
    }

    private static SQLException valueTooLong(String value) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:h2:mem:mapper-test");
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (v VARCHAR(8))");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO t VALUES (?)")) {
                ps.setString(1, value);
                ps.executeUpdate();
            }
            throw new AssertionError("H2 took a value longer than its column");
        } catch (SQLException e) {
            return e;
        }
    }
}
