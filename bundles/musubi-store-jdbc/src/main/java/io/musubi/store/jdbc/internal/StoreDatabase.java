package io.musubi.store.jdbc.internal;

import io.musubi.store.HistoryException;
import io.musubi.store.jdbc.JdbcSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import javax.sql.DataSource;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's one database: the connection pool, the dialect, the migrations, transactions and durability
 * ({@link Database}). In OSGi a DS component configured by PID {@code io.musubi.store} ({@link StoreConfig}),
 * registered as a service of this internal class, so only the repository components of this bundle (one per
 * repository, each referencing it) can bind to it. A configuration change restarts it and, through their static
 * references, the repositories. Outside OSGi, {@link io.musubi.store.jdbc.JdbcStore} opens one with
 * {@link #open(JdbcSettings, Clock, String)} or {@link #open(DataSource, boolean, Clock, String)} and builds the
 * same repository objects on it.
 */
@Component(service = StoreDatabase.class, configurationPid = "io.musubi.store",
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = StoreConfig.class)
public final class StoreDatabase implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StoreDatabase.class);

    private final Database database;
    private final AutoCloseable ownedPool;
    private final String nodeId;

    /** The DS component: its own pool on the configured database, the system clock. */
    @Activate
    public StoreDatabase(StoreConfig config) {
        this(settings(config), Clock.systemUTC(), nodeId(config));
        LOG.info("store on {} ({}), node {}", settings(config).maskedUrl(), database.dialect().productName(), nodeId);
    }

    private StoreDatabase(JdbcSettings settings, Clock clock, String nodeId) {
        this(Pools.create(settings), settings.syncCommits(), settings.flushInterval(), clock, nodeId);
    }

    private StoreDatabase(Pools.Pool pool, boolean syncCommits, Duration flushInterval, Clock clock, String nodeId) {
        this.ownedPool = pool;
        this.nodeId = nodeId;
        try {
            this.database = prepare(pool.dataSource(), syncCommits, flushInterval, clock, nodeId);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    private StoreDatabase(DataSource dataSource, boolean syncCommits, Clock clock, String nodeId) {
        this.ownedPool = null;
        this.nodeId = nodeId;
        this.database = prepare(dataSource, syncCommits, Duration.ZERO, clock, nodeId);
    }

    /** Opens the store's database with its own pool (closed by {@link #close()}). */
    public static StoreDatabase open(JdbcSettings settings, Clock clock, String nodeId) {
        return new StoreDatabase(Objects.requireNonNull(settings, "settings"), Objects.requireNonNull(clock, "clock"),
                Objects.requireNonNull(nodeId, "nodeId"));
    }

    /** Opens the store's database on a data source the caller owns (and closes). */
    public static StoreDatabase open(DataSource dataSource, boolean syncCommits, Clock clock, String nodeId) {
        return new StoreDatabase(Objects.requireNonNull(dataSource, "dataSource"), syncCommits,
                Objects.requireNonNull(clock, "clock"), Objects.requireNonNull(nodeId, "nodeId"));
    }

    /** Migrates the schema, prepares durability, and drops what this node left in progress when it stopped. */
    private static Database prepare(DataSource dataSource, boolean syncCommits, Duration flushInterval, Clock clock,
                                    String nodeId) {
        Migrations.apply(dataSource);
        Database database = Database.open(dataSource, syncCommits, flushInterval, clock);
        new JdbcApiIdempotencyRepository(database, nodeId).dropClaimsOfEarlierRuns();
        return database;
    }

    static JdbcSettings settings(StoreConfig config) {
        return new JdbcSettings(url(config), config.user(), config.password(), config.maxPoolSize(),
                config.syncCommits(), Duration.ofMillis(Math.max(0, config.h2FlushIntervalMillis())));
    }

    static String url(StoreConfig config) {
        String url = config.jdbcUrl() == null ? "" : config.jdbcUrl().trim();
        if (!url.isEmpty()) {
            return url;
        }
        Path base = Path.of(System.getProperty("karaf.data", "data"), "musubi", "history");
        return "jdbc:h2:file:" + base.toAbsolutePath();
    }

    private static String nodeId(StoreConfig config) {
        return config.nodeId() == null || config.nodeId().isBlank() ? io.musubi.store.jdbc.JdbcStore.defaultNodeId()
                : config.nodeId().trim();
    }

    public Database database() {
        return database;
    }

    /** This hub node among the nodes sharing the database (API Idempotency-Key claims name it). */
    public String nodeId() {
        return nodeId;
    }

    /** Closes the pool if this instance created it; a caller's data source is left alone. */
    @Deactivate
    @Override
    public void close() {
        if (ownedPool != null) {
            try {
                ownedPool.close();
            } catch (Exception e) {
                throw new HistoryException("closing the store's connection pool failed", e);
            }
        }
    }

    @Override
    public String toString() {
        return "StoreDatabase[" + database.dialect().productName() + ", node " + nodeId + "]";
    }
}
