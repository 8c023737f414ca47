package io.musubi.store.jdbc;

import io.musubi.store.AcdStateRepository;
import io.musubi.store.ApiIdempotencyRepository;
import io.musubi.store.ApiKeyRepository;
import io.musubi.store.CustomerRepository;
import io.musubi.store.DefinitionRepository;
import io.musubi.store.HistoryStore;
import io.musubi.store.IdempotencyRepository;
import io.musubi.store.LinkNonceRepository;
import io.musubi.store.StoreTransactions;
import io.musubi.store.WebhookRepository;
import io.musubi.store.jdbc.internal.JdbcAcdStateRepository;
import io.musubi.store.jdbc.internal.JdbcApiIdempotencyRepository;
import io.musubi.store.jdbc.internal.JdbcApiKeyRepository;
import io.musubi.store.jdbc.internal.JdbcCustomerRepository;
import io.musubi.store.jdbc.internal.JdbcDefinitionRepository;
import io.musubi.store.jdbc.internal.JdbcHistoryStore;
import io.musubi.store.jdbc.internal.JdbcIdempotencyRepository;
import io.musubi.store.jdbc.internal.JdbcLinkNonceRepository;
import io.musubi.store.jdbc.internal.JdbcStoreTransactions;
import io.musubi.store.jdbc.internal.JdbcWebhookRepository;
import io.musubi.store.jdbc.internal.StoreDatabase;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import javax.sql.DataSource;

/**
 * The JDBC history store: embedded H2 (file mode, the default) or PostgreSQL, same schema. Opening it applies
 * the versioned schema migrations; every repository shares the database (and its transactions).
 *
 * <pre>{@code
 * try (JdbcStore history = JdbcStore.open(JdbcSettings.embedded(Path.of("data/history")))) {
 *     history.store().append(event);
 * }
 * }</pre>
 *
 * Plain Java on purpose: tests and benchmarks build it from a {@link DataSource} or {@link JdbcSettings}. In OSGi
 * the same objects are Declarative Services components: {@code StoreDatabase} (configured by PID
 * {@code io.musubi.store}) and one component per repository referencing it.
 */
public final class JdbcStore implements AutoCloseable {

    private final StoreDatabase database;
    private final JdbcHistoryStore store;
    private final JdbcCustomerRepository customers;
    private final JdbcIdempotencyRepository idempotency;
    private final JdbcDefinitionRepository definitions;
    private final JdbcApiIdempotencyRepository apiIdempotency;
    private final JdbcApiKeyRepository apiKeys;
    private final JdbcWebhookRepository webhooks;
    private final JdbcLinkNonceRepository linkNonces;
    private final JdbcAcdStateRepository acdState;
    private final JdbcStoreTransactions transactions;

    /** The same objects the DS components are, built on one {@link StoreDatabase}. */
    private JdbcStore(StoreDatabase database) {
        this.database = database;
        this.customers = new JdbcCustomerRepository(database);
        this.store = new JdbcHistoryStore(database);
        this.idempotency = new JdbcIdempotencyRepository(database);
        this.definitions = new JdbcDefinitionRepository(database);
        this.apiIdempotency = new JdbcApiIdempotencyRepository(database);
        this.apiKeys = new JdbcApiKeyRepository(database);
        this.webhooks = new JdbcWebhookRepository(database);
        this.linkNonces = new JdbcLinkNonceRepository(database);
        this.acdState = new JdbcAcdStateRepository(database);
        this.transactions = new JdbcStoreTransactions(database);
    }

    /**
     * Opens the store on a data source the caller owns (and closes), with synced commits on H2 and the system
     * clock.
     */
    public static JdbcStore open(DataSource dataSource) {
        return open(dataSource, true, Clock.systemUTC());
    }

    /**
     * Opens the store on a data source the caller owns.
     *
     * @param syncCommits H2 only: fsync every committed write (see {@link JdbcSettings#syncCommits()})
     * @param clock       the time stamped on records the store creates itself (customers, merges, erasure)
     */
    public static JdbcStore open(DataSource dataSource, boolean syncCommits, Clock clock) {
        return new JdbcStore(StoreDatabase.open(dataSource, syncCommits, clock, defaultNodeId()));
    }

    /** Opens the store with its own connection pool (closed by {@link #close()}). */
    public static JdbcStore open(JdbcSettings settings) {
        return open(settings, Clock.systemUTC(), defaultNodeId());
    }

    /**
     * Opens the store with its own connection pool (closed by {@link #close()}).
     *
     * @param clock  the time stamped on records the store creates itself
     * @param nodeId this hub node among the nodes sharing the database, stable across its restarts (see
     *               {@link #defaultNodeId()}): what the node held in progress when it stopped is dropped now
     */
    public static JdbcStore open(JdbcSettings settings, Clock clock, String nodeId) {
        return new JdbcStore(StoreDatabase.open(settings, clock, nodeId));
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

    public AcdStateRepository acdState() {
        return acdState;
    }

    /** One transaction across every repository of this store (one commit, one shared flush). */
    public StoreTransactions transactions() {
        return transactions;
    }

    /** {@code H2} or {@code PostgreSQL}. */
    public String databaseProduct() {
        return database.database().dialect().productName();
    }

    /** Closes the pool if this instance created it; a caller's data source is left alone. */
    @Override
    public void close() {
        database.close();
    }
}
