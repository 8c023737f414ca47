package io.musubi.history;

import io.musubi.history.internal.Database;
import io.musubi.history.internal.JdbcApiIdempotencyRepository;
import io.musubi.history.internal.JdbcApiKeyRepository;
import io.musubi.history.internal.JdbcCustomerRepository;
import io.musubi.history.internal.JdbcDefinitionRepository;
import io.musubi.history.internal.JdbcHistoryStore;
import io.musubi.history.internal.JdbcIdempotencyRepository;
import io.musubi.history.internal.JdbcLinkNonceRepository;
import io.musubi.history.internal.JdbcWebhookRepository;
import io.musubi.history.internal.Migrations;
import io.musubi.history.internal.Pools;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * The JDBC history store: embedded H2 (file mode, the default) or PostgreSQL, same schema. Opening it applies
 * the versioned schema migrations; the four services share the database.
 *
 * <pre>{@code
 * try (JdbcHistory history = JdbcHistory.open(JdbcSettings.embedded(Path.of("data/history")))) {
 *     history.store().append(event);
 * }
 * }</pre>
 *
 * Plain Java on purpose: tests and benchmarks build it from a {@link DataSource}; in OSGi a Declarative Services
 * component does the same from its configuration.
 */
public final class JdbcHistory implements AutoCloseable {

    private final Database database;
    private final AutoCloseable ownedPool;
    private final JdbcHistoryStore store;
    private final JdbcCustomerRepository customers;
    private final JdbcIdempotencyRepository idempotency;
    private final JdbcDefinitionRepository definitions;
    private final JdbcApiIdempotencyRepository apiIdempotency;
    private final JdbcApiKeyRepository apiKeys;
    private final JdbcWebhookRepository webhooks;
    private final JdbcLinkNonceRepository linkNonces;

    private JdbcHistory(Database database, AutoCloseable ownedPool, String nodeId) {
        this.database = database;
        this.ownedPool = ownedPool;
        this.customers = new JdbcCustomerRepository(database);
        this.store = new JdbcHistoryStore(database, customers);
        this.idempotency = new JdbcIdempotencyRepository(database);
        this.definitions = new JdbcDefinitionRepository(database);
        this.apiIdempotency = new JdbcApiIdempotencyRepository(database, nodeId);
        apiIdempotency.dropClaimsOfEarlierRuns();
        this.apiKeys = new JdbcApiKeyRepository(database);
        this.webhooks = new JdbcWebhookRepository(database);
        this.linkNonces = new JdbcLinkNonceRepository(database);
    }

    /**
     * Opens the store on a data source the caller owns (and closes), with synced commits on H2 and the system
     * clock.
     */
    public static JdbcHistory open(DataSource dataSource) {
        return open(dataSource, true, Clock.systemUTC());
    }

    /**
     * Opens the store on a data source the caller owns.
     *
     * @param syncCommits H2 only: fsync every committed write (see {@link JdbcSettings#syncCommits()})
     * @param clock       the time stamped on records the store creates itself (customers, merges, erasure)
     */
    public static JdbcHistory open(DataSource dataSource, boolean syncCommits, Clock clock) {
        Objects.requireNonNull(dataSource, "dataSource");
        Migrations.apply(dataSource);
        Database database = Database.open(dataSource, syncCommits, clock);
        return new JdbcHistory(database, null, defaultNodeId());
    }

    /** Opens the store with its own connection pool (closed by {@link #close()}). */
    public static JdbcHistory open(JdbcSettings settings) {
        return open(settings, Clock.systemUTC(), defaultNodeId());
    }

    /**
     * Opens the store with its own connection pool (closed by {@link #close()}).
     *
     * @param clock  the time stamped on records the store creates itself
     * @param nodeId this hub node among the nodes sharing the database, stable across its restarts (see
     *               {@link #defaultNodeId()}): what the node held in progress when it stopped is dropped now
     */
    public static JdbcHistory open(JdbcSettings settings, Clock clock, String nodeId) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(nodeId, "nodeId");
        Pools.Pool pool = Pools.create(settings);
        try {
            Migrations.apply(pool.dataSource());
            Database database = Database.open(pool.dataSource(), settings.syncCommits(), clock);
            return new JdbcHistory(database, pool, nodeId);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    /**
     * This hub node's id when none is configured: the host name and the node's data directory
     * ({@code karaf.data}, else the working directory), so two hubs on one host are two nodes and a restarted hub
     * is the same node.
     */
    public static String defaultNodeId() {
        String dir = System.getProperty("karaf.data", System.getProperty("user.dir", ""));
        return hostName() + ':' + Path.of(dir).toAbsolutePath().normalize();
    }

    /** The host name without a DNS look-up where the system says it ($HOSTNAME, /etc/hostname). */
    private static String hostName() {
        String host = System.getenv("HOSTNAME");
        if (host != null && !host.isBlank()) {
            return host.trim();
        }
        try {
            Path etc = Path.of("/etc/hostname");
            if (Files.isReadable(etc)) {
                String name = Files.readString(etc).trim();
                if (!name.isEmpty()) {
                    return name;
                }
            }
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException | SecurityException e) {
            return "localhost";
        }
    }

    public HistoryStore store() {
        return store;
    }

    public CustomerRepository customers() {
        return customers;
    }

    public IdempotencyRepository idempotency() {
        return idempotency;
    }

    public DefinitionRepository definitions() {
        return definitions;
    }

    public ApiIdempotencyRepository apiIdempotency() {
        return apiIdempotency;
    }

    public ApiKeyRepository apiKeys() {
        return apiKeys;
    }

    public WebhookRepository webhooks() {
        return webhooks;
    }

    public LinkNonceRepository linkNonces() {
        return linkNonces;
    }

    /** {@code H2} or {@code PostgreSQL}. */
    public String databaseProduct() {
        return database.dialect().productName();
    }

    /** Closes the pool if this instance created it; a caller's data source is left alone. */
    @Override
    public void close() {
        if (ownedPool != null) {
            try {
                ownedPool.close();
            } catch (Exception e) {
                throw new HistoryException("closing the history database pool failed", e);
            }
        }
    }
}
