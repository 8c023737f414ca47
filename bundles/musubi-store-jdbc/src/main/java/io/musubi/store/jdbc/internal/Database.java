package io.musubi.store.jdbc.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.musubi.api.LatencyHistogram;
import io.musubi.store.HistoryException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * The shared plumbing of the JDBC store: the data source, its dialect, transactions, durability and time.
 */
public final class Database {

    /** H2 only, outside the versioned schema: one row changed after every commit (see {@link #flushH2}). */
    static final String H2_FLUSH_TABLE = "musubi_h2_flush";

    /** H2's default retention of old versions; see {@link #open}. */
    static final int RETENTION_MILLIS = 45_000;

    private final DataSource dataSource;
    private final Dialect dialect;
    private final String afterCommit;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();
    /** The transaction the calling thread runs in ({@link #inTransaction}), if any. */
    private final ThreadLocal<Connection> bound = new ThreadLocal<>();
    /** H2's group flush; null on PostgreSQL (durable at commit). */
    private final GroupFlush flush;
    /** How long each {@code COMMIT} took (PostgreSQL: durable then), for the metrics endpoint. */
    private final LatencyHistogram commits = new LatencyHistogram(LatencyHistogram.FAST_BOUNDS);
    /** How long each H2 group flush took (it makes every commit before it durable). */
    private final LatencyHistogram flushes = new LatencyHistogram(LatencyHistogram.FAST_BOUNDS);

    private Database(DataSource dataSource, Dialect dialect, String afterCommit, Duration flushInterval, Clock clock) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.afterCommit = afterCommit;
        this.clock = clock;
        this.flush = afterCommit == null ? null : new GroupFlush(this::flushH2, flushInterval);
    }

    /**
     * Detects the database and prepares it for durable commits. PostgreSQL commits durably by itself
     * ({@code synchronous_commit}). H2 keeps committed changes in memory for up to {@code WRITE_DELAY} ms, so
     * every writing transaction here is followed by {@code CHECKPOINT} (write the store to the file: a killed JVM
     * loses nothing) or, with {@code syncCommits}, {@code CHECKPOINT SYNC} (and fsync it: a power loss loses
     * nothing). {@code WRITE_DELAY 0} would do the first too, but it also stops H2's background housekeeping, and
     * the file then grows without bound while open.
     */
    public static Database open(DataSource dataSource, boolean syncCommits, Clock clock) {
        return open(dataSource, syncCommits, Duration.ZERO, clock);
    }

    /**
     * As {@link #open(DataSource, boolean, Clock)}, with H2's flushes at least {@code flushInterval} apart (commits that
     * arrive meanwhile share the next one: {@link GroupFlush}).
     */
    public static Database open(DataSource dataSource, boolean syncCommits, Duration flushInterval, Clock clock) {
        try (Connection c = dataSource.getConnection()) {
            Dialect dialect = Dialect.of(c.getMetaData().getDatabaseProductName());
            String afterCommit = null;
            if (dialect == Dialect.H2) {
                afterCommit = syncCommits ? "CHECKPOINT SYNC" : "CHECKPOINT";
                try (Statement s = c.createStatement()) {
                    // SQL errors (which may quote values) stay out of H2's trace file
                    s.execute("SET TRACE_LEVEL_FILE 0");
                    try (ResultSet rs = s.executeQuery("SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS "
                            + "WHERE SETTING_NAME = 'WRITE_DELAY'")) {
                        if (rs.next() && "0".equals(rs.getString(1))) {
                            s.execute("SET WRITE_DELAY 500"); // keep the background housekeeping running
                        }
                    }
                    // Space of old versions is reused after H2's default 45 s; with many small commits the file
                    // grows by write rate x 45 s while open (measured: 178 MB for 8 000 single-event commits).
                    // RETENTION_TIME 0 would avoid that, but H2 2.3.232 then loses every row written since the
                    // schema was created on a clean close after some sequences of checkpointed commits
                    // (H2RestartDurabilityTest), so it stays at the default in both modes.
                    s.execute("SET RETENTION_TIME " + RETENTION_MILLIS);
                    s.execute("CREATE TABLE IF NOT EXISTS " + H2_FLUSH_TABLE
                            + " (id INT PRIMARY KEY, n BIGINT NOT NULL)");
                    s.execute("MERGE INTO " + H2_FLUSH_TABLE + " KEY (id) VALUES (1, 0)");
                    s.execute("CHECKPOINT"); // fails early here if the user is no admin
                } catch (SQLException e) {
                    throw new HistoryException("preparing the H2 history database failed (it needs an admin user "
                            + "for CHECKPOINT and SET): SQLState " + e.getSQLState(), e);
                }
            }
            return new Database(dataSource, dialect, afterCommit, flushInterval, clock);
        } catch (SQLException e) {
            throw failure("opening the history database", e);
        }
    }

    public Dialect dialect() {
        return dialect;
    }

    DataSource dataSource() {
        return dataSource;
    }

    ObjectMapper json() {
        return json;
    }

    Instant now() {
        return clock.instant();
    }

    /** Work inside one transaction. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /**
     * Runs a writing transaction; returns after the commit is durable. Inside {@link #inTransaction} it joins the
     * calling thread's transaction instead (no commit of its own: the outer one commits).
     */
    <T> T write(Work<T> work) {
        Connection joined = bound.get();
        if (joined != null) {
            try {
                return work.run(joined);
            } catch (SQLException e) {
                throw failure("history write", e);
            }
        }
        return transaction(work, true);
    }

    /**
     * Like {@link #write}, but returns once committed, before the commit is durable: the caller must call
     * {@link #awaitDurable()} before it reports success (the append group commit releases its callers first, so that
     * each of them waits for the shared flush on its own). Inside {@link #inTransaction} it joins the transaction.
     */
    <T> T writeCommitted(Work<T> work) {
        if (bound.get() != null) {
            return write(work);
        }
        return transaction(work, false);
    }

    /**
     * Returns once every transaction committed before this call is durable, whichever thread committed it (H2: a shared
     * flush, see {@link GroupFlush}; PostgreSQL: at once). Inside {@link #inTransaction} it does nothing (the outer
     * transaction is not committed yet; its own end waits).
     */
    void awaitDurable() {
        if (flush != null && bound.get() == null) {
            flush.awaitDurable();
        }
    }

    /**
     * Runs {@code work} in one transaction bound to the calling thread: every {@link #write} and {@link #read} the
     * thread makes inside it (through any repository) uses that one connection. Commits once at the end and returns
     * after the commit is durable; rolls back if {@code work} throws. A nested call joins the outer transaction.
     */
    public <T> T inTransaction(Supplier<T> work) {
        return bound(work, true);
    }

    /**
     * As {@link #inTransaction}, but returns once committed, before the commit is durable: the caller (or any thread
     * after it) must call {@link #awaitDurable()} before it reports success. A nested call joins the outer transaction.
     */
    public <T> T inTransactionCommitted(Supplier<T> work) {
        return bound(work, false);
    }

    private <T> T bound(Supplier<T> work, boolean durable) {
        Objects.requireNonNull(work, "work");
        if (bound.get() != null) {
            return work.get();
        }
        return transaction(c -> {
            bound.set(c);
            try {
                return work.get();
            } finally {
                bound.remove();
            }
        }, durable);
    }

    /** Latency of every commit so far (metrics). */
    public LatencyHistogram commitLatency() {
        return commits;
    }

    /** Latency of every H2 group flush so far (metrics; none on PostgreSQL). */
    public LatencyHistogram flushLatency() {
        return flushes;
    }

    /** Whether the calling thread runs inside {@link #inTransaction}. */
    boolean inTransaction() {
        return bound.get() != null;
    }

    private <T> T transaction(Work<T> work, boolean durable) {
        T result;
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                result = work.run(c);
                long commitStarted = System.nanoTime();
                c.commit();
                commits.recordNanos(System.nanoTime() - commitStarted);
            } catch (SQLException | RuntimeException | Error e) {
                rollbackQuietly(c);
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        } catch (SQLException e) {
            throw failure("history write", e);
        }
        if (durable && flush != null) {
            flush.awaitDurable();
        }
        return result;
    }

    /**
     * Makes every transaction committed before it durable on H2 (one flush for all of them: see {@link GroupFlush}).
     * {@code CHECKPOINT} stores the MVStore synchronously when it has unsaved changes. But H2's background thread (or
     * another session) may have started an asynchronous store that already holds the committed transactions;
     * {@code CHECKPOINT} would then find nothing unsaved and return before that write reached the file. A one-row
     * change committed after them guarantees unsaved changes, so the store is synchronous, and H2 runs it after any
     * store in flight (single-threaded, in order).
     */
    private void flushH2() {
        long started = System.nanoTime();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            if (!c.getAutoCommit()) {
                c.setAutoCommit(true);
            }
            s.executeUpdate("UPDATE " + H2_FLUSH_TABLE + " SET n = n + 1 WHERE id = 1");
            s.execute(afterCommit);
            flushes.recordNanos(System.nanoTime() - started);
        } catch (SQLException e) {
            throw failure("history flush", e);
        }
    }

    /**
     * Runs reads in auto-commit mode (each statement sees the latest committed state); inside {@link #inTransaction}
     * on the thread's transaction (which sees its own uncommitted writes).
     */
    <T> T read(Work<T> work) {
        Connection joined = bound.get();
        if (joined != null) {
            try {
                return work.run(joined);
            } catch (SQLException e) {
                throw failure("history read", e);
            }
        }
        try (Connection c = dataSource.getConnection()) {
            if (!c.getAutoCommit()) {
                c.setAutoCommit(true);
            }
            return work.run(c);
        } catch (SQLException e) {
            throw failure("history read", e);
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the original failure is what matters
        }
    }

    static boolean isUniqueViolation(SQLException e) {
        return "23505".equals(e.getSQLState());
    }

    /**
     * Wraps a database failure. Data exceptions (SQLState class 22: a value too long, a bad conversion) and
     * constraint violations (class 23) quote the offending values (addresses, names, ids) in the driver's message,
     * so for them the driver exception is replaced by one that keeps its class, SQLState, error code and stack trace
     * but not its message. Other failures (the database unreachable, a broken statement) keep the driver's exception.
     */
    static HistoryException failure(String what, SQLException e) {
        String state = e.getSQLState();
        String message = what + " failed (SQLState " + state + ", error " + e.getErrorCode() + ")";
        if (quotesValues(state)) {
            return new HistoryException(message, withheld(e));
        }
        return new HistoryException(message, e);
    }

    static boolean quotesValues(String state) {
        return state != null && (state.startsWith("22") || state.startsWith("23"));
    }

    /** The driver exception without its message (which quotes values): class, SQLState, error code, stack trace. */
    static SQLException withheld(SQLException e) {
        SQLException out = new SQLException(e.getClass().getName() + ": message withheld, it may quote values",
                e.getSQLState(), e.getErrorCode());
        out.setStackTrace(e.getStackTrace());
        return out;
    }

    /** Epoch microseconds: the stored form of every time stamp (PostgreSQL's own precision). */
    static long micros(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000);
    }

    static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
    }
}
